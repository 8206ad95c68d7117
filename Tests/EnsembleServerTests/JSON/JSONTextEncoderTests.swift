import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Foundation
import MCP
import Testing

@testable import EnsembleServer

/// A tool result written directly must say exactly what JSONEncoder would have written.
struct JSONTextEncoderTests {
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
            #expect(written == (try outcome.structuredContent))
            #expect(String(decoding: outcome.text, as: UTF8.self).contains(#"\/"#) == false)
        }
    }

    @Test func aStringThatLooksLikeADataURLStaysAString() throws {
        struct Note: Encodable { var body = "data:text/plain;base64,SGk=" }
        #expect(try ToolOutcome.success(Note()).structuredContent == ["body": "data:text/plain;base64,SGk="])
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
            #expect(SnakeCase.converted(key) == json.keys.first, "\(key)")
        }
        #expect(try ToolOutcome.success(["camelKey": 1]).structuredContent == ["camelKey": 1])
    }

    @Test func datesAreWrittenAsJSONEncoderWritesThemInEveryEra() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var generator = SeededGenerator(seed: 9)
        let edges: [TimeInterval] = [
            0, -0.5, 0.999, 951_782_400, 1_764_590_400.25, -2_208_988_800, -2_208_988_800.5,
            253_402_300_799.9, 253_402_300_800, -62_135_596_801, 4_107_542_399,
        ]
        let random = (0..<2_000).map { _ in TimeInterval.random(in: -3e9...3e11, using: &generator) }
        for interval in edges + random {
            let date = Date(timeIntervalSince1970: interval)
            let json = String(decoding: try encoder.encode([date]), as: UTF8.self)
            #expect(json == #"["\#(ISO8601Text.string(from: date))"]"#, "\(interval)")
        }
    }

    @Test func numbersAndRepeatedKeysAreWrittenAsJSONEncoderWritesThem() throws {
        struct Numbers: Encodable {
            var int = Int.min
            var int64 = Int64.max
            var uint64 = UInt64.max
            var small: Int8 = -7
            var zero = 0
            var double = 2.5
            var integral = 3.0
            var values: [Int?] = [1, nil, -20]
        }
        struct Repeated: Encodable {
            enum Key: String, CodingKey { case a }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(1, forKey: .a)
                try container.encode(2, forKey: .a)
            }
        }
        #expect(
            String(decoding: try JSONTextEncoder().encode(Numbers()), as: UTF8.self)
                == #"{"double":2.5,"int":-9223372036854775808,"int64":9223372036854775807,"integral":3,"#
                + #""small":-7,"uint64":18446744073709551615,"values":[1,null,-20],"zero":0}"#
        )
        #expect(String(decoding: try JSONTextEncoder().encode(Repeated()), as: UTF8.self) == #"{"a":2}"#)
    }
}
