import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Testing

struct WorkerTypeStoreTests {
    @Test func storesSettingsAndAppliesPartialUpdates() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let project = ProjectID(uncheckedRawValue: "acme/shop")
        var new = try Fixtures.workerType("tester")
        new.settings = WorkerTypeSettings(
            model: "sonnet",
            permissionMode: .plan,
            allowedTools: ["Read", "Bash(npm test)"],
            maxWorkers: 3,
            sandbox: true
        )
        _ = try await database.createWorkerType(new)
        #expect(try await database.workerType(new.workerType, in: project).settings.sandbox)

        let updated = try await database.updateWorkerType(
            new.workerType,
            in: project,
            with: WorkerTypeUpdate(description: "Runs tests", stageTimeoutSeconds: 600)
        )

        #expect(updated.settings.allowedTools == ["Read", "Bash(npm test)"])
        #expect(updated.settings.permissionMode == .plan)
        #expect(updated.settings.maxWorkers == 3)
        #expect(updated.settings.stageTimeoutSeconds == 600)
        #expect(updated.description == "Runs tests")
        #expect(updated.settings.sandbox)
        let unsandboxed = try await database.updateWorkerType(
            new.workerType,
            in: project,
            with: WorkerTypeUpdate(sandbox: false)
        )
        #expect(!unsandboxed.settings.sandbox)
        #expect(
            try await database.listWorkerTypes(in: project).map(\.workerType.rawValue) == [
                "coder", "planner", "reviewer", "tester",
            ]
        )
    }

    @Test func refusesDuplicatesAndTypesOfUnknownProjects() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        await #expect(throws: EnsembleError.self) { try await database.createWorkerType(Fixtures.workerType("coder")) }
        await #expect(throws: EnsembleError.projectNotFound(ProjectID(uncheckedRawValue: "other/repo"))) {
            try await database.createWorkerType(Fixtures.workerType("coder", in: "other/repo"))
        }
    }

    @Test func refusesToDeleteATypeAnOpenTicketPlans() async throws {
        // Given an open ticket planning the coder
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(
            projectPath: directory.path,
            routing: RoutingPolicy(autoSpawn: false)
        )
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let coder = WorkerTypeName(uncheckedRawValue: "coder")

        // Then deleting the coder is refused, naming the ticket
        await #expect(throws: EnsembleError.workerTypeInUse(ticket.projectId, coder, tickets: [ticket.ticketId])) {
            try await database.deleteWorkerType(coder, in: ticket.projectId)
        }

        // And once the ticket is closed, it succeeds
        _ = try await database.closeTicket(ticket.ticketId, resolution: .stopped, reason: nil)
        try await database.deleteWorkerType(coder, in: ticket.projectId)
        await #expect(throws: EnsembleError.workerTypeNotFound(ticket.projectId, coder)) {
            try await database.workerType(coder, in: ticket.projectId)
        }
    }
}
