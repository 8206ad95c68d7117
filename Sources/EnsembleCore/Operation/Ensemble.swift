/// The actions that change what the ensemble does, each one write and what must follow it.
///
/// A tool (or any other caller) decodes its input, calls one operation, and encodes the result.
/// The store applies the rules and routes in the write's transaction; the operation then starts
/// whatever workers that marked to start, so no caller has to remember to. Reads go to the
/// repository directly.
///
/// ```swift
/// let ensemble = Ensemble(repository: database, workers: supervisor)
/// let ticket = try await ensemble.createTicket(newTicket)   // stage 0 routed, its worker started
/// ```
package struct Ensemble: Sendable {
    package let repository: any Repository
    package let workers: any WorkerControl
    package let workspaces: any Workspaces

    package init(repository: any Repository, workers: any WorkerControl, workspaces: any Workspaces = NoWorkspaces()) {
        self.repository = repository
        self.workers = workers
        self.workspaces = workspaces
    }

    // MARK: - Projects

    /// Registers a project; where git can make worktrees, its tickets get one each by default,
    /// branching from the branch checked out now.
    package func createProject(_ new: NewProject, workspace: WorkspaceUpdate) async throws -> Project {
        var project = new
        project.workspace = try workspace.settingsForNewProject(await workspaces.inspect(new.path))
        return try await repository.createProject(project)
    }

    /// Changes a project; workspace fields are checked against its (new) directory.
    package func updateProject(_ id: ProjectID, with update: ProjectUpdate) async throws -> Project {
        var resolved = update
        if !update.workspace.isEmpty || update.path != nil {
            let current = try await repository.project(id)
            let facts = await workspaces.inspect(update.path ?? current.path)
            resolved.resolvedWorkspace = try update.workspace.applied(to: current.workspace, facts)
        }
        return try await repository.updateProject(id, with: resolved)
    }

    // MARK: - Tickets

    /// Files a ticket; its first stage is routed and its worker started.
    package func createTicket(_ ticket: NewTicket) async throws -> Ticket {
        try await followed { try await repository.createTicket(ticket) }
    }

    /// Moves a ticket to another stage (also resuming a held ticket); that stage is queued again.
    package func updateStage(of ticket: TicketID, to stage: StageSelector) async throws -> Ticket {
        try await followed { try await repository.updateStage(of: ticket, to: stage) }
    }

    /// Closes a ticket; its pending work is discarded, and its worktree removed (its branch stays).
    package func closeTicket(_ ticket: TicketID, resolution: TicketResolution, reason: String?) async throws
        -> Ticket
    {
        let closed = try await followed {
            try await repository.closeTicket(ticket, resolution: resolution, reason: reason)
        }
        await workspaces.release(ticket)
        return closed
    }

    /// Makes `ticket` wait for `dependsOn`; its queued stage is withdrawn until that completes.
    package func addDependency(_ ticket: TicketID, dependsOn: TicketID) async throws -> TicketDependencies {
        try await followed { try await repository.addDependency(ticket, dependsOn: dependsOn) }
    }

    /// Lets `ticket` stop waiting for `dependsOn`; without open dependencies it is routed and its worker started.
    package func removeDependency(_ ticket: TicketID, dependsOn: TicketID) async throws -> TicketDependencies {
        try await followed { try await repository.removeDependency(ticket, dependsOn: dependsOn) }
    }

    /// Claims the next task of `queue` for `worker`; a claim by the coordinator shortens a
    /// worker's queue, which can let waiting work start elsewhere.
    package func claimNextTask(in queue: QueueName, by worker: WorkerID) async throws -> ClaimedTask? {
        try await followed { try await repository.claimNextTask(in: queue, by: worker) }
    }

    /// Records a stage as done by `worker` and moves its ticket on.
    ///
    /// In a ticket's worktree, whatever the worker left uncommitted is committed first, so no
    /// stage's work is lost between stages; the branch tip is recorded with the completion.
    package func completeStage(_ completion: StageCompletion, by worker: WorkerID) async throws
        -> StageCompletionResult
    {
        var completion = completion
        completion.resultCommit = try await workspaces.commitStage(for: completion, by: worker)
        let checked = completion
        return try await followed { try await repository.completeStage(checked, by: worker) }
    }

    // MARK: - Workers and queues

    /// Starts worker `id` (new or not running); the waiting tasks of its type go to it.
    package func spawnWorker(_ id: WorkerID, project: ProjectID, type: WorkerTypeName) async throws -> WorkerReport {
        _ = try await followed { try await repository.requestWorker(id, project: project, type: type) }
        return try await repository.workerReport(id)
    }

    /// Stops a worker's process; its claim goes back without using an attempt, its queue is routed again.
    package func stopWorker(_ id: WorkerID) async throws -> WorkerReport {
        try await followed { try await workers.stop(id) }
        return try await repository.workerReport(id)
    }

    /// Puts a ticket's current stage on a chosen queue, starting its worker if needed.
    package func assignTicket(_ ticket: TicketID, to queue: QueueName) async throws -> QueueTask {
        try await followed { try await repository.assignTicket(ticket, to: queue) }
    }

    /// Deletes a queue of a worker that is not running; its tasks are routed again.
    package func deleteQueue(_ queue: QueueName) async throws -> Int {
        try await followed { try await repository.deleteQueue(queue) }
    }

    // MARK: - Worker types

    /// Defines a worker type.
    package func createWorkerType(_ workerType: NewWorkerType) async throws -> WorkerType {
        try await followed { try await repository.createWorkerType(workerType) }
    }

    /// Changes a worker type; a raised `max_workers` starts workers for waiting tasks at once.
    package func updateWorkerType(_ name: WorkerTypeName, in project: ProjectID, with update: WorkerTypeUpdate)
        async throws -> WorkerType
    {
        try await followed { try await repository.updateWorkerType(name, in: project, with: update) }
    }

    // MARK: - Private helpers

    /// Runs a write, then starts the workers it marked to start.
    private func followed<T: Sendable>(_ write: () async throws -> T) async throws -> T {
        let result = try await write()
        await workers.launchPending()
        return result
    }
}
