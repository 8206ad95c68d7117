/// Reading the recorded `claude -p` runs.
package protocol RunStore: Sendable {
    /// The runs of `ticket`'s stages, oldest first.
    func runs(of ticket: TicketID) async throws -> [WorkerRun]
    /// The runs of `worker`, oldest first.
    func runs(by worker: WorkerID) async throws -> [WorkerRun]
}
