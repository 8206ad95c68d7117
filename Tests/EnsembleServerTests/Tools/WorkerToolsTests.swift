import EnsembleCore
import EnsembleServer
import EnsembleStore
import EnsembleTestSupport
import MCP
import Testing

/// Worker, queue and worker-facing tools through a real MCP client, with a fake worker control.
struct WorkerToolsTests {
    private let coderIdentity = WorkerIdentity(
        workerId: WorkerID(uncheckedRawValue: "worker_coder_1"),
        projectId: ProjectID(uncheckedRawValue: "acme/shop"),
        workerType: WorkerTypeName(uncheckedRawValue: "coder"),
        queueName: QueueName(uncheckedRawValue: "queue_coder_1")
    )

    private func text(_ result: CallTool.Result) -> String {
        result.content.compactMap { if case .text(let text, _, _) = $0 { text } else { nil } }.joined()
    }

    @Test func badSpawnRequestsAreRefusedWithOneSentenceAndChangeNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database: any Repository = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let workers = FakeWorkerControl()
        let mcp = try await InMemoryMCP.connect(repository: database, workers: workers)
        defer { Task { await mcp.close() } }
        _ = try await mcp.call(
            "spawn_worker",
            ["worker_id": "worker_coder_1", "project_id": "acme/shop", "worker_type": "coder"]
        )

        let cases: [(Value, Value, String)] = [
            ("worker_tester_1", "tester", "Worker type 'tester' not found"),
            ("worker_coder_1", "coder", "already running"),
            ("worker/coder_2", "coder", "not a valid worker id"),
            ("..", "coder", "not a valid worker id"),
            ("-rf", "coder", "not a valid worker id"),
            ("worker_coder_x", "coder", "must be named worker_coder_<n>"),
        ]
        for (id, type, expected) in cases {
            let result = try await mcp.call(
                "spawn_worker",
                ["worker_id": id, "project_id": "acme/shop", "worker_type": type]
            )
            #expect(result.isError == true, "\(id)")
            #expect(text(result).contains(expected), "\(id): \(text(result))")
        }
        #expect(try await database.listWorkers(in: nil).map(\.worker.id.rawValue) == ["worker_coder_1"])
        #expect(workers.launchRequests == 1)
    }

    @Test func queueToolsRefuseWhatWouldLoseWork() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database: any Repository = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let mcp = try await InMemoryMCP.connect(repository: database)
        defer { Task { await mcp.close() } }
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))

        let delete = try await mcp.call("delete_queue", ["queue_name": "queue_coder_1"])
        let complete = try await mcp.call(
            "complete_ticket_stage",
            ["ticket_id": .string(ticket.ticketId.rawValue), "task_id": 1, "report": "done"]
        )
        let status = try await mcp.call("get_queue_status", ["queue_name": "queue_coder_1"])

        #expect(delete.isError == true && text(delete).contains("still running"))
        #expect(complete.isError == true && text(complete).contains("not claimed by you"))
        #expect(status.structuredContent?.objectValue?["counts"]?.objectValue?["queued"] == 1)
    }

    @Test func aWorkerSeesOnlyItsToolsItsQueueAndItsTickets() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database: any Repository = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let mine = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let theirs = try await database.createTicket(Fixtures.ticket(plan: ["planner"]))
        let worker = try await InMemoryMCP.connect(repository: database, caller: .worker(coderIdentity))
        defer { Task { await worker.close() } }

        let tools = try await worker.client.listTools().tools.map(\.name)
        let claim = try await worker.call("get_next_task", ["queue_name": "queue_coder_1"])
        let foreignQueue = try await worker.call("get_queue_tasks", ["queue_name": "queue_planner_1"])
        let foreignTicket = try await worker.call("get_ticket", ["ticket_id": .string(theirs.ticketId.rawValue)])
        let ownTicket = try await worker.call("get_ticket", ["ticket_id": .string(mine.ticketId.rawValue)])
        let impersonation = try await worker.call(
            "add_ticket_comment",
            [
                "ticket_id": .string(mine.ticketId.rawValue), "worker_type": "coder", "worker_id": "coordinator",
                "stage_number": 0, "content": "x",
            ]
        )
        let otherType = try await worker.call(
            "add_ticket_comment",
            [
                "ticket_id": .string(mine.ticketId.rawValue), "worker_type": "planner", "worker_id": "worker_coder_1",
                "stage_number": 0, "content": "x",
            ]
        )

        #expect(
            Set(tools) == [
                "get_queue_tasks", "get_next_task", "get_ticket", "add_ticket_comment", "complete_ticket_stage",
            ]
        )
        #expect(
            claim.structuredContent?.objectValue?["task"]?.objectValue?["ticket_id"] == .string(mine.ticketId.rawValue)
        )
        #expect(foreignQueue.isError == true && text(foreignQueue).contains("not yours"))
        #expect(foreignTicket.isError == true && text(foreignTicket).contains("no task in your queue"))
        #expect(ownTicket.isError != true)
        #expect(impersonation.isError == true)
        #expect(otherType.isError == true && text(otherType).contains("your own type, 'coder'"))
        #expect(try await database.ticketDetails(mine.ticketId).comments.isEmpty)
        await #expect(throws: (any Error).self) {
            _ = try await worker.call("create_project", ["repository_name": "x"])
        }
    }

    @Test func aCompletionWithoutAttemptIsFencedByTheAttemptItsSessionClaimed() async throws {
        // Given a worker run that claimed attempt 1 and lost it, and a later run that claimed attempt 2
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        #expect(try await database.recordTestLaunch(coderIdentity.workerId))
        let stale = try await InMemoryMCP.connect(repository: database, caller: .worker(coderIdentity))
        defer { Task { await stale.close() } }
        let first = try await stale.call("get_next_task", ["queue_name": "queue_coder_1"])
        let task = try #require(first.structuredContent?.objectValue?["task"]?.objectValue?["task_id"])
        _ = try await database.recordExit(
            coderIdentity.workerId,
            exit: WorkerExit(termination: .exited(code: 1)),
            cause: .ended,
            lifecycle: WorkerLifecycle()
        )
        // The failed run is started again (its queue still holds the task).
        #expect(try await database.recordTestLaunch(coderIdentity.workerId))
        let current = try await InMemoryMCP.connect(repository: database, caller: .worker(coderIdentity))
        defer { Task { await current.close() } }
        let second = try await current.call("get_next_task", ["queue_name": "queue_coder_1"])
        #expect(second.structuredContent?.objectValue?["task"]?.objectValue?["attempt"] == 2)

        // When both complete the stage without giving the attempt
        let arguments: [String: Value] = [
            "ticket_id": .string(ticket.ticketId.rawValue), "task_id": task, "report": "r",
        ]
        let fromStale = try await stale.call("complete_ticket_stage", arguments)
        let fromCurrent = try await current.call("complete_ticket_stage", arguments)

        // Then only the run holding the current attempt is accepted
        #expect(fromStale.isError == true, "\(text(fromStale))")
        #expect(fromCurrent.isError != true, "\(text(fromCurrent))")
    }

    @Test func waitForEventsReturnsAsSoonAsAnEventIsRecorded() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let mcp = try await InMemoryMCP.connect(repository: database, bell: database.eventBell)
        defer { Task { await mcp.close() } }

        let emptyWait = try await mcp.call("wait_for_events", ["timeout_seconds": 0])
        async let waited = mcp.call("wait_for_events", ["timeout_seconds": 60, "event_types": ["ticket_created"]])
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let answer = try await waited

        #expect(emptyWait.structuredContent?.objectValue?["timed_out"] == true)
        #expect(answer.structuredContent?.objectValue?["timed_out"] == false)
        #expect(answer.structuredContent?.objectValue?["count"] == 1)
    }
}
