/// Persistence of worker types.
///
/// Implementations report domain failures as `EnsembleError` and change nothing when they throw.
package protocol WorkerTypeStore: Sendable {
    /// Defines a worker type in an existing project.
    func createWorkerType(_ workerType: NewWorkerType) async throws -> WorkerType
    /// The worker types of one project, or of all projects when `project` is `nil`.
    func listWorkerTypes(in project: ProjectID?) async throws -> [WorkerType]
    /// One worker type.
    func workerType(_ name: WorkerTypeName, in project: ProjectID) async throws -> WorkerType
    /// Applies a partial update and returns the result.
    func updateWorkerType(_ name: WorkerTypeName, in project: ProjectID, with update: WorkerTypeUpdate)
        async throws -> WorkerType
    /// Deletes a worker type. Refuses while an open ticket's plan names it.
    func deleteWorkerType(_ name: WorkerTypeName, in project: ProjectID) async throws
}
