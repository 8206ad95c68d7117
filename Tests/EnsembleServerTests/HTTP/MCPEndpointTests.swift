import EnsembleCore
import EnsembleServer
import EnsembleTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MCP
import Testing

/// The `/mcp` and `/health` routes, through Hummingbird's in-process test client.
struct MCPEndpointTests {
    private static let json: HTTPFields = [.contentType: "application/json"]
    private static let mcpHeaders: HTTPFields = [
        .contentType: "application/json", .accept: "application/json, text/event-stream",
    ]

    private func withApp(
        credentials: WorkerCredentials = WorkerCredentials(),
        _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let repository = try TestStore.makeDatabase()
        let router = EnsembleRouter.build(
            repository: repository,
            sessions: TestSessions.makeManager(repository: repository, credentials: credentials),
            policy: LocalRequestPolicy(bindHost: "127.0.0.1", port: 0),
            bell: EventBell(),
            authenticator: CallerAuthenticator(credentials: credentials),
            version: "test"
        )
        try await Application(router: router).test(.router, test)
    }

    private func post(_ client: any TestClientProtocol, _ body: String, headers: HTTPFields = json) async throws
        -> TestResponse
    {
        try await client.execute(uri: "/mcp", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    private func object(_ response: TestResponse) throws -> [String: Value] {
        let value = try JSONDecoder().decode(Value.self, from: Data(String(buffer: response.body).utf8))
        return try #require(value.objectValue)
    }

    @Test func answersTheSeedsCurlBodyWithPlainJSON() async throws {
        try await withApp { client in
            let listed = try await post(client, #"{"jsonrpc":"2.0","id":1,"method":"list_tools"}"#)
            #expect(listed.status == .ok)
            #expect(listed.headers[.contentType] == "application/json")
            #expect(try object(listed)["result"]?.objectValue?["tools"]?.arrayValue?.count == 32)

            let called = try await post(
                client,
                #"{"jsonrpc":"2.0","id":2,"method":"call_tool","params":{"name":"list_projects"}}"#
            )
            let result = try object(called)["result"]?.objectValue
            #expect(result?["structuredContent"] == ["count": 0, "next_cursor": .null, "projects": []])

            let unknown = try await post(
                client,
                #"{"jsonrpc":"2.0","id":3,"method":"call_tool","params":{"name":"no_such_tool"}}"#
            )
            #expect(try object(unknown)["error"]?.objectValue?["code"] == -32602)
        }
    }

    @Test func rejectsBatchesMalformedJSONAndUnknownSessions() async throws {
        try await withApp { client in
            let batch = try await post(client, #"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#)
            #expect(batch.status == .badRequest)
            #expect(try object(batch)["error"]?.objectValue?["code"] == -32600)

            let malformed = try await post(client, #"{"jsonrpc":"2.0","id":1,"#)
            #expect(malformed.status == .badRequest)
            #expect(try object(malformed)["error"]?.objectValue?["code"] == -32700)

            var headers = Self.mcpHeaders
            headers[HTTPField.Name("Mcp-Session-Id")!] = "no-such-session"
            let unknown = try await post(client, #"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#, headers: headers)
            #expect(unknown.status == .notFound)

            let discover = try await post(client, #"{"jsonrpc":"2.0","id":1,"method":"server/discover"}"#)
            #expect(discover.status == .badRequest)
        }
    }

    @Test func answersIdsThatAreNeitherStringsNorIntegersAtOnce() async throws {
        try await withApp { client in
            for id in ["true", "null", "1.5", #"{"a":1}"#, "[1]"] {
                let response = try await post(client, #"{"jsonrpc":"2.0","id":\#(id),"method":"list_tools"}"#)
                #expect(response.status == .badRequest, "\(id)")
                let error = try object(response)["error"]?.objectValue
                #expect(error?["code"] == -32600, "\(id)")
                #expect(error?["message"]?.stringValue?.contains("string or an integer") == true, "\(id)")
            }
        }
    }

    @Test func paramsOfTheWrongShapeAreInvalidParamsNamingTheField() async throws {
        let cases: [(String, String)] = [
            (#""method":"initialize","params":5"#, "params of initialize must be an object, not a number"),
            (
                #""method":"initialize","params":{"capabilities":{},"clientInfo":{"name":"t","version":"1"}}"#,
                "params.protocolVersion"
            ),
            (#""method":"tools/call","params":[1]"#, "params of tools/call must be an object, not an array"),
            (#""method":"tools/call","params":{"name":"list_projects","arguments":[]}"#, "params.arguments"),
            (#""method":"tools/call","params":{"name":7}"#, "params.name of tools/call must be a string"),
        ]
        try await withApp { client in
            for (body, expected) in cases {
                let response = try await post(client, #"{"jsonrpc":"2.0","id":9,\#(body)}"#, headers: Self.mcpHeaders)
                let reply = try object(response)
                #expect(reply["id"] == 9, "\(body)")
                #expect(reply["error"]?.objectValue?["code"] == -32602, "\(body)")
                let message = reply["error"]?.objectValue?["message"]?.stringValue ?? ""
                #expect(message.contains(expected), "\(body): \(message)")
            }
        }
    }

    @Test func refusesForeignOriginsAndOversizedBodies() async throws {
        try await withApp { client in
            var headers = Self.json
            headers[.origin] = "http://evil.example"
            let foreign = try await post(client, #"{"jsonrpc":"2.0","id":1,"method":"list_tools"}"#, headers: headers)
            #expect(foreign.status == .forbidden)

            let huge = String(repeating: "x", count: 5 * 1024 * 1024)
            let oversized = try await post(client, #"{"jsonrpc":"2.0","id":1,"method":"list_tools","x":"\#(huge)"}"#)
            #expect(oversized.status == .contentTooLarge)
        }
    }

    @Test func initializesASessionWithInstructionsAndServesIt() async throws {
        try await withApp { client in
            let initialize = try await post(
                client,
                #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#,
                headers: Self.mcpHeaders
            )
            let session = try #require(initialize.headers[HTTPField.Name("Mcp-Session-Id")!])
            let result = try Self.sseMessage(initialize)["result"]?.objectValue
            #expect(result?["instructions"]?.stringValue?.contains("create_ticket") == true)
            #expect(result?["serverInfo"]?.objectValue?["name"] == "vibe-ensemble")

            var headers = Self.mcpHeaders
            headers[HTTPField.Name("Mcp-Session-Id")!] = session
            let listed = try await post(client, #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#, headers: headers)
            #expect(try Self.sseMessage(listed)["result"]?.objectValue?["tools"]?.arrayValue?.count == 32)

            let deleted = try await client.execute(uri: "/mcp", method: .delete, headers: headers)
            #expect(deleted.status == .ok)
            let afterDelete = try await post(
                client,
                #"{"jsonrpc":"2.0","id":3,"method":"tools/list"}"#,
                headers: headers
            )
            #expect(afterDelete.status == .notFound)
        }
    }

    @Test func healthReportsTheDatabase() async throws {
        try await withApp { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            #expect(try object(health)["status"] == "ok")
            #expect(try object(health)["database"]?.objectValue?["schema_version"] == "v10_runs_and_worktrees")
        }
    }

    /// The JSON-RPC message carried by an SSE response body.
    private static func sseMessage(_ response: TestResponse) throws -> [String: Value] {
        let line = try #require(String(buffer: response.body).split(separator: "\n").first { $0.hasPrefix("data: {") })
        let value = try JSONDecoder().decode(Value.self, from: Data(line.dropFirst("data: ".count).utf8))
        return try #require(value.objectValue)
    }
}
