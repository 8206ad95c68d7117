/// What deleting a project removed with it.
package struct ProjectDeletion: Equatable, Sendable, Codable {
    package var repositoryName: ProjectID
    package var deletedWorkerTypes: Int
    package var deletedTickets: Int
    package var deletedWorkers: Int

    package init(repositoryName: ProjectID, deletedWorkerTypes: Int, deletedTickets: Int, deletedWorkers: Int) {
        self.repositoryName = repositoryName
        self.deletedWorkerTypes = deletedWorkerTypes
        self.deletedTickets = deletedTickets
        self.deletedWorkers = deletedWorkers
    }
}
