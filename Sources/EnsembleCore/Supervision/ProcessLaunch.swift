/// The facts recorded when a worker's process starts.
package struct ProcessLaunch: Equatable, Sendable {
    package var pid: Int32
    /// The kernel's start time of `pid` (from `/proc/<pid>/stat`), to recognise the process later.
    package var processStartedAt: String?
    package var sessionId: String
    package var logPath: String
    /// Whether this run follows one that completed a stage without a pause (a per-task worker
    /// starting its next task): the worker did not newly start, so no `worker_spawned` is recorded.
    package var continuesStreak: Bool

    package init(
        pid: Int32,
        processStartedAt: String?,
        sessionId: String,
        logPath: String,
        continuesStreak: Bool = false
    ) {
        self.pid = pid
        self.processStartedAt = processStartedAt
        self.sessionId = sessionId
        self.logPath = logPath
        self.continuesStreak = continuesStreak
    }
}
