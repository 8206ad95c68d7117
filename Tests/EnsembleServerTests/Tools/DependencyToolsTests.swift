import EnsembleCore
import EnsembleServer
import EnsembleStore
import EnsembleTestSupport
import MCP
import Testing

/// Dependencies through a real MCP client: `create_ticket`'s `depends_on`, the add and remove
/// tools, and what `get_ticket` and `list_tickets` show of them.
struct DependencyToolsTests {
    @Test func ticketsWaitForTheirDependenciesAndShowThem() async throws {
        try await withServer { _, mcp in

            let first = try await ticket(in: mcp)
            let second = try await ticket(in: mcp, dependingOn: [first])
            let third = try await ticket(in: mcp)

            let details = try await expectSuccess(mcp.call("get_ticket", ["ticket_id": .string(second)]))
            #expect(details["ticket"]?.objectValue?["state"] == "blocked")
            let dependsOn = details["depends_on"]?.arrayValue?.first?.objectValue
            #expect(dependsOn?["ticket_id"] == .string(first))
            #expect(dependsOn?["state"] == "open")
            let firstDetails = try await expectSuccess(mcp.call("get_ticket", ["ticket_id": .string(first)]))
            #expect(
                firstDetails["dependents"]?.arrayValue?.compactMap { $0.objectValue?["ticket_id"] } == [.string(second)]
            )

            let blocked = try await expectSuccess(mcp.call("list_tickets", ["status": "blocked"]))
            #expect(blocked["tickets"]?.arrayValue?.compactMap { $0.objectValue?["ticket_id"] } == [.string(second)])

            let added = try await expectSuccess(
                mcp.call("add_ticket_dependency", ["ticket_id": .string(third), "depends_on": .string(second)])
            )
            #expect(added["ticket"]?.objectValue?["state"] == "blocked")
            let removed = try await expectSuccess(
                mcp.call("remove_ticket_dependency", ["ticket_id": .string(third), "depends_on": .string(second)])
            )
            #expect(removed["ticket"]?.objectValue?["state"] == "open")
            #expect(removed["depends_on"] == [])
        }
    }

    @Test func refusedEditsSayWhyInOneSentenceAndChangeNothing() async throws {
        try await withServer { database, mcp in
            let first = try await ticket(in: mcp)
            let second = try await ticket(in: mcp, dependingOn: [first])
            let before = try await database.snapshot()

            let cases: [(String, [String: Value], String)] = [
                (
                    "add_ticket_dependency", ["ticket_id": .string(first), "depends_on": .string(second)],
                    "would close the cycle \(first) → \(second) → \(first)"
                ),
                (
                    "add_ticket_dependency", ["ticket_id": .string(first), "depends_on": .string(first)],
                    "cannot depend on itself"
                ),
                (
                    "add_ticket_dependency", ["ticket_id": .string(first), "depends_on": "SHOP-99"],
                    "'SHOP-99' not found"
                ),
                ("add_ticket_dependency", ["ticket_id": .string(first)], "Missing required argument 'depends_on'"),
                (
                    "remove_ticket_dependency", ["ticket_id": .string(first), "depends_on": .string(second)],
                    "does not depend on '\(second)'"
                ),
                (
                    "create_ticket",
                    [
                        "project_id": "acme/shop", "title": "t", "description": "d", "execution_plan": ["coder"],
                        "depends_on": ["SHOP-99"],
                    ],
                    "'SHOP-99' not found"
                ),
                (
                    "create_ticket",
                    [
                        "project_id": "acme/shop", "title": "t", "description": "d", "execution_plan": ["coder"],
                        "depends_on": ["../x"],
                    ],
                    "not a valid ticket id"
                ),
            ]
            for (tool, arguments, expected) in cases {
                let result = try await mcp.call(tool, arguments)
                let text = result.content.first.flatMap { if case .text(let text, _, _) = $0 { text } else { nil } }
                #expect(result.isError == true, "\(tool)")
                #expect(text?.contains(expected) == true, "\(tool): \(text ?? "no text")")
            }
            #expect(try await database.snapshot() == before)
        }
    }

    @Test func theCoordinatorDeclaresTicketsWithACompletionAndABadEntryChangesNothing() async throws {
        try await withServer { database, mcp in
            let planning = try await ticket(in: mcp)
            let claimed = try await expectSuccess(mcp.call("get_next_task", ["queue_name": "queue_coder_1"]))
            let task = try #require(claimed["task"]?.objectValue)
            #expect(task["ticket_id"] == .string(planning))
            let entries: [Value] = [
                ["ref": "db", "title": "Schema", "description": "d", "execution_plan": ["coder"]],
                ["ref": "api", "title": "API", "description": "d", "execution_plan": ["coder"], "depends_on": ["db"]],
            ]
            let before = try await database.snapshot()
            let refused = try await mcp.call(
                "complete_ticket_stage",
                [
                    "ticket_id": .string(planning), "task_id": task["task_id"] ?? 0, "report": "Planned.",
                    "new_tickets": .array(
                        entries + [["ref": "x", "title": "X", "description": "d", "execution_plan": ["tester"]]]
                    ),
                ]
            )
            #expect(refused.isError == true)
            let reason = refused.content.first.flatMap { if case .text(let text, _, _) = $0 { text } else { nil } }
            #expect(reason?.contains("new_tickets entry 'x'") == true, "\(reason ?? "")")
            #expect(try await database.snapshot() == before)
            let strayField = try await mcp.call(
                "complete_ticket_stage",
                [
                    "ticket_id": .string(planning), "task_id": task["task_id"] ?? 0, "report": "Planned.",
                    "new_tickets": [
                        ["ref": "a", "title": "A", "description": "d", "execution_plan": ["coder"], "colour": "red"]
                    ],
                ]
            )
            #expect(strayField.isError == true)
            let wrongType = try await mcp.call(
                "complete_ticket_stage",
                [
                    "ticket_id": .string(planning), "task_id": task["task_id"] ?? 0, "report": "Planned.",
                    "new_tickets": [["ref": "a", "title": 7, "description": "d", "execution_plan": ["coder"]]],
                ]
            )
            let wrongText = wrongType.content.first.flatMap { if case .text(let text, _, _) = $0 { text } else { nil } }
            #expect(wrongText == "In item 0 of 'new_tickets': Argument 'title' must be a string.", "\(wrongText ?? "")")

            let done = try await expectSuccess(
                mcp.call(
                    "complete_ticket_stage",
                    [
                        "ticket_id": .string(planning), "task_id": task["task_id"] ?? 0, "report": "Planned.",
                        "new_tickets": .array(entries),
                    ]
                )
            )
            let created = done["result"]?.objectValue?["created_tickets"]?.arrayValue ?? []
            #expect(created.compactMap { $0.objectValue?["ref"] } == ["db", "api"])
            #expect(created.compactMap { $0.objectValue?["state"] } == ["open", "blocked"])
        }
    }

    @Test func theNewTicketsSchemaIsStrictToo() async throws {
        try await withServer { _, mcp in
            let tools = try await mcp.client.listTools().tools
            let complete = try #require(tools.first { $0.name == "complete_ticket_stage" })
            let items = complete.inputSchema.objectValue?["properties"]?.objectValue?["new_tickets"]?.objectValue?[
                "items"
            ]
            #expect(items?.objectValue?["additionalProperties"] == false)
            #expect(items?.objectValue?["required"] == ["ref", "title", "description", "execution_plan"])
        }
    }

    // MARK: - Private helpers

    /// Runs `body` with a seeded store (project `acme/shop`) and a coordinator's MCP client of it.
    private func withServer(_ body: (EnsembleDatabase, InMemoryMCP) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let mcp = try await InMemoryMCP.connect(repository: database)
        defer { Task { await mcp.close() } }
        try await body(database, mcp)
    }

    private func ticket(in mcp: InMemoryMCP, dependingOn dependencies: [String] = []) async throws -> String {
        var arguments: [String: Value] = [
            "project_id": "acme/shop", "title": "t", "description": "d", "execution_plan": ["coder"],
        ]
        if !dependencies.isEmpty { arguments["depends_on"] = .array(dependencies.map(Value.string)) }
        return try #require(try await expectSuccess(mcp.call("create_ticket", arguments))["ticket_id"]?.stringValue)
    }
}
