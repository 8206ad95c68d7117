/// Persistence of projects.
///
/// Implementations report domain failures as `EnsembleError` and change nothing when they throw.
package protocol ProjectStore: Sendable {
    /// Registers a project.
    func createProject(_ project: NewProject) async throws -> Project
    /// All projects, by repository name.
    func listProjects() async throws -> [Project]
    /// One project.
    func project(_ id: ProjectID) async throws -> Project
    /// Applies a partial update and returns the result.
    func updateProject(_ id: ProjectID, with update: ProjectUpdate) async throws -> Project
    /// Deletes a project with its worker types, tickets, comments, workers and tasks.
    /// Refuses while any of its workers is running.
    func deleteProject(_ id: ProjectID) async throws -> ProjectDeletion
}
