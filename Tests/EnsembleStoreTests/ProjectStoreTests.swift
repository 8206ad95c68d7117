import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Testing

struct ProjectStoreTests {
    @Test func createsListsUpdatesAndDeletesProjects() async throws {
        // Given an empty store
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try TestStore.makeDatabase()

        // When a project is created and updated
        let created = try await database.createProject(Fixtures.project(path: directory.path))
        let updated = try await database.updateProject(
            created.repositoryName,
            with: ProjectUpdate(rules: "Write tests.")
        )

        // Then it is listed with the change, and deleting removes it
        #expect(updated.rules == "Write tests.")
        #expect(updated.description == created.description)
        #expect(try await database.listProjects().map(\.repositoryName.rawValue) == ["acme/shop"])
        let deletion = try await database.deleteProject(created.repositoryName)
        #expect(deletion.deletedTickets == 0)
        #expect(try await database.listProjects().isEmpty)
    }

    @Test func refusesDuplicatesAndUnknownProjects() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try TestStore.makeDatabase()
        let project = try Fixtures.project(path: directory.path)
        _ = try await database.createProject(project)

        await #expect(throws: EnsembleError.projectAlreadyExists(project.repositoryName)) {
            try await database.createProject(project)
        }
        let missing = ProjectID(uncheckedRawValue: "acme/missing")
        await #expect(throws: EnsembleError.projectNotFound(missing)) { try await database.project(missing) }
        await #expect(throws: EnsembleError.projectNotFound(missing)) { try await database.deleteProject(missing) }
    }

    @Test func deletingCascadesToEverythingOfTheProject() async throws {
        // Given a project with worker types, a ticket and a comment
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(
            projectPath: directory.path,
            routing: RoutingPolicy(autoSpawn: false)
        )
        let ticket = try await database.createTicket(Fixtures.ticket())
        _ = try await database.addComment(
            NewComment(
                ticketId: ticket.ticketId,
                workerType: WorkerTypeName(uncheckedRawValue: "planner"),
                workerId: WorkerID(uncheckedRawValue: "coordinator"),
                stageNumber: 0,
                content: "note"
            )
        )

        // When the project is deleted
        let deletion = try await database.deleteProject(ticket.projectId)

        // Then its types and tickets are gone, and its events remain as history
        #expect(
            deletion
                == ProjectDeletion(
                    repositoryName: ticket.projectId,
                    deletedWorkerTypes: 3,
                    deletedTickets: 1,
                    deletedWorkers: 0
                )
        )
        await #expect(throws: EnsembleError.ticketNotFound(ticket.ticketId)) {
            try await database.ticketDetails(ticket.ticketId)
        }
        #expect(try await database.listWorkerTypes(in: nil).isEmpty)
        let events = try await database.events(matching: EventQuery())
        #expect(events.map(\.eventType) == [.ticketCreated, .ticketWaitingForWorker])
    }
}
