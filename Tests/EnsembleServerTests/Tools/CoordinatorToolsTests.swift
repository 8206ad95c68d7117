import EnsembleCore
import EnsembleServer
import EnsembleStore
import EnsembleTestSupport
import MCP
import Testing

/// The coordinator's tools through a real MCP client and server over the in-memory transport.
struct CoordinatorToolsTests {
    @Test func listsEveryCoordinatorToolWithStrictSchemas() async throws {
        let mcp = try await InMemoryMCP.connect(repository: TestStore.makeDatabase())
        defer { Task { await mcp.close() } }

        let tools = try await mcp.client.listTools().tools

        #expect(tools.count == 32)
        #expect(Set(tools.map(\.name)).count == 32)
        for tool in tools {
            #expect(tool.inputSchema.objectValue?["additionalProperties"] == false, "\(tool.name)")
            let readOnly =
                (tool.name.hasPrefix("list_") || tool.name.hasPrefix("get_") || tool.name == "wait_for_events")
                && tool.name != "get_next_task"
            #expect(tool.annotations.readOnlyHint == readOnly, "\(tool.name)")
        }
    }

    @Test func drivesTheWholeProjectTicketEventFlow() async throws {
        // Given a project directory and a connected coordinator
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let mcp = try await InMemoryMCP.connect(repository: TestStore.makeDatabase())
        defer { Task { await mcp.close() } }

        // When the coordinator sets up a project and files a ticket with comments
        try await expectSuccess(
            mcp.call("create_project", ["repository_name": "acme/shop", "path": .string(directory.path)])
        )
        for type in ["planner", "coder", "reviewer"] {
            try await expectSuccess(
                mcp.call(
                    "create_worker_type",
                    ["project_id": "acme/shop", "worker_type": .string(type), "system_prompt": "You are the \(type)."]
                )
            )
        }
        let created = try await expectSuccess(
            mcp.call(
                "create_ticket",
                [
                    "project_id": "acme/shop", "title": "Search", "description": "Add search.",
                    "execution_plan": ["planner", "coder", "reviewer"],
                ]
            )
        )
        let ticketID = try #require(created["ticket_id"]?.stringValue)
        for (stage, type) in ["planner", "coder"].enumerated() {
            try await expectSuccess(
                mcp.call(
                    "add_ticket_comment",
                    [
                        "ticket_id": .string(ticketID), "worker_type": .string(type),
                        "worker_id": .string("worker_\(type)_1"), "stage_number": .int(stage),
                        "content": .string("report \(stage)"),
                    ]
                )
            )
        }

        // Then get_ticket shows the comments in order, and events can be acknowledged
        let details = try await expectSuccess(mcp.call("get_ticket", ["ticket_id": .string(ticketID)]))
        let comments = details["comments"]?.arrayValue?.compactMap { $0.objectValue?["content"]?.stringValue }
        #expect(comments == ["report 0", "report 1"])
        #expect(details["ticket"]?.objectValue?["execution_plan"] == ["planner", "coder", "reviewer"])
        let events = try await expectSuccess(mcp.call("get_events"))["events"]?.arrayValue ?? []
        #expect(events.compactMap { $0.objectValue?["event_type"]?.stringValue } == ["ticket_created"])
        let ids = events.compactMap { $0.objectValue?["id"] }
        let marking = try await expectSuccess(mcp.call("mark_events_processed", ["event_ids": .array(ids)]))
        #expect(marking["marked"] == .array(ids))
        #expect(try await expectSuccess(mcp.call("get_events"))["count"] == 0)
    }

    @Test func badInputGetsOneActionableSentenceAndChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database: any Repository = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let mcp = try await InMemoryMCP.connect(repository: database)
        defer { Task { await mcp.close() } }
        let cases: [(String, [String: Value], String)] = [
            ("get_project", ["repository_name": "acme/none"], "Project 'acme/none' not found. Call list_projects"),
            ("create_project", ["repository_name": "acme/shop", "path": .string(directory.path)], "already exists"),
            ("create_project", ["repository_name": "x/y", "path": "/definitely/missing"], "does not exist"),
            ("create_project", ["repository_name": "../x", "path": .string(directory.path)], "not a valid project id"),
            ("create_project", ["repository_name": "x/y"], "Missing required argument 'path'"),
            (
                "create_ticket",
                [
                    "project_id": "acme/shop", "title": "t", "description": "d",
                    "execution_plan": ["planner", "tester"],
                ],
                "does not have: tester"
            ),
            (
                "create_ticket",
                ["project_id": "acme/shop", "title": "t", "description": "d", "execution_plan": "coder"],
                "must be a list of strings"
            ),
            (
                "create_worker_type",
                ["project_id": "acme/shop", "worker_type": "x", "system_prompt": "p", "max_workers": "many"],
                "must be an integer"
            ),
            ("list_tickets", ["project_id": "acme/shop", "colour": "red"], "Unknown argument 'colour'"),
            ("list_tickets", ["cursor": "SHOP-1"], "cursor is not one this server gave"),
            ("list_tickets", ["limit": 0], "limit"),
        ]
        for (tool, arguments, expected) in cases {
            let result = try await mcp.call(tool, arguments)
            let text = result.content.first.flatMap { if case .text(let text, _, _) = $0 { text } else { nil } }
            #expect(result.isError == true, "\(tool)")
            #expect(text?.contains(expected) == true, "\(tool): \(text ?? "no text")")
        }
        #expect(try await database.listProjects().count == 1)
        #expect(try await database.listTickets(in: nil, state: nil).isEmpty)
        #expect(try await database.listWorkerTypes(in: nil).count == 3)
    }

    @Test func unknownToolIsAProtocolError() async throws {
        let mcp = try await InMemoryMCP.connect(repository: TestStore.makeDatabase())
        defer { Task { await mcp.close() } }
        await #expect {
            _ = try await mcp.call("launch_rockets")
        } throws: { error in
            (error as? MCPError)?.code == -32602
        }
    }

    @Test func updatesStagesAndClosesTickets() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let mcp = try await InMemoryMCP.connect(repository: TestStore.makeSeededDatabase(projectPath: directory.path))
        defer { Task { await mcp.close() } }
        try await expectSuccess(
            mcp.call(
                "create_ticket",
                [
                    "project_id": "acme/shop", "ticket_id": "SHOP-42", "title": "t", "description": "d",
                    "execution_plan": ["planner", "coder", "reviewer"], "priority": "high",
                ]
            )
        )

        let moved = try await expectSuccess(
            mcp.call("update_ticket_stage", ["ticket_id": "SHOP-42", "stage": "reviewer"])
        )
        let closed = try await expectSuccess(
            mcp.call("close_ticket", ["ticket_id": "SHOP-42", "status": "Stopped", "resolution": "Out of scope."])
        )
        let again = try await mcp.call("close_ticket", ["ticket_id": "SHOP-42"])

        #expect(moved["current_stage"] == 2)
        #expect(closed["state"] == "closed")
        #expect(closed["resolution"] == "stopped")
        #expect(closed["close_reason"] == "Out of scope.")
        #expect(again.isError == true)
        let listed = try await expectSuccess(mcp.call("list_tickets", ["status": "closed"]))
        #expect(listed["count"] == 1)
        #expect(listed["next_cursor"] == .null)
    }

    @Test func listTicketsPagesWithACursorUntilNextCursorIsNull() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        for _ in 1...5 { _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"])) }
        let mcp = try await InMemoryMCP.connect(repository: database)
        defer { Task { await mcp.close() } }

        var seen: [Value] = []
        var arguments: [String: Value] = ["limit": 2]
        for _ in 0..<5 {
            let page = try await expectSuccess(mcp.call("list_tickets", arguments))
            seen += page["tickets"]?.arrayValue?.compactMap { $0.objectValue?["ticket_id"] } ?? []
            guard let next = page["next_cursor"]?.stringValue else { break }
            arguments["cursor"] = .string(next)
        }
        #expect(seen == ["SHOP-1", "SHOP-2", "SHOP-3", "SHOP-4", "SHOP-5"])
    }

    @Test func everyListPagesWithACursorUntilNextCursorIsNull() async throws {
        // Given three projects, each with worker types, and a worker per type
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let mcp = try await InMemoryMCP.connect(repository: database)
        defer { Task { await mcp.close() } }
        for name in ["acme/web", "acme/api"] {
            try await expectSuccess(
                mcp.call("create_project", ["repository_name": .string(name), "path": .string(directory.path)])
            )
        }
        for type in ["coder", "reviewer", "planner"] {
            let worker = "worker_\(type)_1"
            try await expectSuccess(
                mcp.call(
                    "spawn_worker",
                    ["worker_id": .string(worker), "project_id": "acme/shop", "worker_type": .string(type)]
                )
            )
        }

        // When each list is read two items a page, following next_cursor
        func readAll(_ tool: String, _ list: String, _ id: String, _ extra: [String: Value] = [:]) async throws
            -> [Value]
        {
            var seen: [Value] = []
            var arguments = extra.merging(["limit": 2]) { $1 }
            for _ in 0..<10 {
                let page = try await expectSuccess(mcp.call(tool, arguments))
                let items = page[list]?.arrayValue ?? []
                #expect(page["count"] == .int(items.count))
                seen += items.compactMap { item in
                    id.split(separator: ".").reduce(item as Value?) { $0?.objectValue?[String($1)] }
                }
                guard let next = page["next_cursor"]?.stringValue else { break }
                arguments["cursor"] = .string(next)
            }
            return seen
        }

        // Then every item comes once, in the list's order
        #expect(
            try await readAll("list_projects", "projects", "repository_name") == ["acme/api", "acme/shop", "acme/web"]
        )
        let types = try await readAll("list_worker_types", "worker_types", "worker_type", ["project_id": "acme/shop"])
        #expect(types == types.sorted { ($0.stringValue ?? "") < ($1.stringValue ?? "") } && types.count >= 3)
        #expect(
            try await readAll("list_workers", "workers", "worker.worker_id")
                == ["worker_coder_1", "worker_planner_1", "worker_reviewer_1"]
        )
        let refused = try await mcp.call("list_projects", ["cursor": "not-a-cursor"])
        #expect(refused.isError == true)
    }
}
