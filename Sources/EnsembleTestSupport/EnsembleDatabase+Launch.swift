package import EnsembleCore
package import EnsembleStore

extension EnsembleDatabase {
    /// Records that `worker`'s process started, as the supervisor would, with a pid no real
    /// process has.
    /// - Returns: Whether the store accepted it (the worker was waiting to start).
    @discardableResult
    package func recordTestLaunch(_ worker: WorkerID, pid: Int32 = -1, startedAt: String? = nil) async throws -> Bool {
        try await recordLaunch(
            worker,
            ProcessLaunch(pid: pid, processStartedAt: startedAt, sessionId: "test-run", logPath: "test.log")
        )
    }
}
