import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Foundation
import MCP
import Testing

@testable import EnsembleServer

/// The structured content built directly must be exactly what parsing the JSON text would give.
struct ValueEncoderTests {
    private func text(_ result: CallTool.Result) -> String {
        result.content.compactMap { if case .text(let text, _, _) = $0 { text } else { nil } }.joined()
    }

    /// A JSON number is the same whether written as 2 or 2.0.
    private func normalized(_ value: Value) -> Value {
        switch value {
        case .double(let number) where number.rounded() == number && abs(number) < 1e15: .int(Int(number))
        case .array(let items): .array(items.map(normalized))
        case .object(let fields): .object(fields.mapValues(normalized))
        default: value
        }
    }

    /// A seeded store with a two-stage ticket whose one comment needs escaping in JSON.
    private func makeTicketWithANoteToEscape(projectPath: String) async throws -> (EnsembleDatabase, Ticket) {
        let database = try await TestStore.makeSeededDatabase(projectPath: projectPath)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder", "reviewer"]))
        _ = try await database.addComment(
            NewComment(
                ticketId: ticket.ticketId,
                workerType: WorkerTypeName(uncheckedRawValue: "coder"),
                workerId: WorkerID(uncheckedRawValue: "coordinator"),
                stageNumber: 0,
                content: "Quotes \"q\", a / slash, é,\n\ta tab, \u{1F} and 😀"
            )
        )
        return (database, ticket)
    }

    @Test func everyToolResultsStructuredContentEqualsItsJSONText() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (database, ticket) = try await makeTicketWithANoteToEscape(projectPath: directory.path)
        let mcp = try await InMemoryMCP.connect(repository: database)
        defer { Task { await mcp.close() } }
        let ticketID = Value.string(ticket.ticketId.rawValue)
        let calls: [(String, [String: Value])] = [
            ("list_projects", [:]), ("get_project", ["repository_name": "acme/shop"]),
            ("list_worker_types", ["project_id": "acme/shop"]),
            ("get_worker_type", ["project_id": "acme/shop", "worker_type": "coder"]),
            ("get_ticket", ["ticket_id": ticketID]), ("list_tickets", [:]),
            ("spawn_worker", ["worker_id": "worker_reviewer_1", "project_id": "acme/shop", "worker_type": "reviewer"]),
            ("list_workers", [:]), ("get_worker_status", ["worker_id": "worker_coder_1"]),
            ("list_queues", [:]), ("get_queue_status", ["queue_name": "queue_coder_1"]),
            ("get_events", [:]), ("update_ticket_stage", ["ticket_id": ticketID, "stage": 1]),
            ("close_ticket", ["ticket_id": ticketID, "status": "Completed"]),
        ]
        for (tool, arguments) in calls {
            let result = try await mcp.call(tool, arguments)
            #expect(result.isError != true, "\(tool): \(text(result))")
            guard result.isError != true else { continue }
            let parsed = try JSONDecoder().decode(Value.self, from: Data(text(result).utf8))
            let structured = try #require(result.structuredContent, "\(tool)")
            #expect(normalized(structured) == normalized(parsed), "\(tool)")
            #expect(text(result).contains(#"\/"#) == false, "\(tool) escapes slashes")
        }
    }

    @Test func aWrittenOutcomeSaysWhatJSONEncoderWouldHaveWritten() async throws {
        // Given the outputs of the read tools, with text that needs escaping
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (database, ticket) = try await makeTicketWithANoteToEscape(projectPath: directory.path)
        let outputs: [any Encodable & Sendable] = [
            try await database.ticketDetails(ticket.ticketId, upToComment: nil, within: .toolOutput),
            try await database.listTickets(in: nil, state: nil),
            try await database.listProjects(),
            try await database.listWorkerTypes(in: nil),
            try await database.events(matching: try EventQuery(processed: nil)),
        ]
        for output in outputs {
            // When each is written as a tool outcome
            let outcome = try ToolOutcome.success(output)

            // Then its text means what JSONEncoder's text means, and is its structured content
            let expected = try JSONDecoder().decode(Value.self, from: ToolResultEncoder.makeEncoder().encode(output))
            let written = try JSONDecoder().decode(Value.self, from: Data(outcome.text))
            #expect(normalized(written) == normalized(expected), "\(type(of: output))")
            #expect(written == outcome.structuredContent)
            #expect(String(decoding: outcome.text, as: UTF8.self).contains(#"\/"#) == false)
        }
    }

    @Test func aStringThatLooksLikeADataURLStaysAString() throws {
        struct Note: Encodable { var body = "data:text/plain;base64,SGk=" }
        #expect(try ValueEncoder().encode(Note()) == ["body": "data:text/plain;base64,SGk="])
    }

    @Test func keysAndDatesAreWrittenAsTheJSONEncoderWritesThem() throws {
        struct Probe: Encodable {
            struct Key: CodingKey {
                var stringValue: String
                var intValue: Int? { nil }
                init(stringValue: String) { self.stringValue = stringValue }
                init?(intValue: Int) { nil }
            }
            let name: String
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(1, forKey: Key(stringValue: name))
            }
        }
        for key in ["ticketId", "mcpSessions", "URLString", "isHTTPReady", "a", "already_snake", "stageNumber2"] {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            let json = try JSONDecoder().decode([String: Int].self, from: encoder.encode(Probe(name: key)))
            #expect(ValueEncoder.snakeCased(key) == json.keys.first, "\(key)")
        }
        #expect(try ValueEncoder().encode(["camelKey": 1]) == ["camelKey": 1])
        let date = Date(timeIntervalSince1970: 1_764_590_400.25)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let json = String(decoding: try encoder.encode([date]), as: UTF8.self)
        #expect(json == #"["\#(ValueEncoder.iso8601(date))"]"#)
    }
}
