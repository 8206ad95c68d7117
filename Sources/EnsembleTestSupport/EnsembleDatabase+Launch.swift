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

extension EnsembleDatabase {
    /// Does what a worker does with `get_next_task` and `complete_ticket_stage`: claims the next
    /// task of `queue` (or gets back the one it holds) and completes its stage with `outcome`.
    /// - Returns: The claim it completed, or `nil` when the queue gave it nothing.
    @discardableResult
    package func completeNextStage(
        in queue: QueueName,
        by worker: WorkerID,
        outcome: StageOutcome = .nextStage
    ) async throws -> ClaimedTask? {
        guard let claim = try await claimNextTask(in: queue, by: worker) else { return nil }
        let completion = try StageCompletion(
            ticketId: claim.ticketId,
            taskId: claim.taskId,
            attempt: claim.attempt,
            report: "\(worker) did stage \(claim.stage)",
            outcome: outcome
        )
        _ = try await completeStage(completion, by: worker)
        return claim
    }
}
