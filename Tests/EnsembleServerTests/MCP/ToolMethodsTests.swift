import EnsembleCore
import EnsembleServer
import EnsembleTestSupport
import Foundation
import MCP
import Testing

/// Tool requests in a session are answered by the session manager itself, as the SDK would.
struct ToolMethodsTests {
    private static let headers = [
        "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
        HTTPHeaderName.protocolVersion: "2025-11-25",
    ]

    private func startSession(_ manager: MCPSessionManager) async throws -> String {
        let initialize = Data(
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
                .utf8
        )
        let response = await manager.handle(HTTPRequest(method: "POST", headers: Self.headers, body: initialize))
        return try #require(response.headers[HTTPHeaderName.sessionID])
    }

    private func post(_ body: String, session: String, to manager: MCPSessionManager) async -> HTTPResponse {
        var headers = Self.headers
        headers[HTTPHeaderName.sessionID] = session
        return await manager.handle(HTTPRequest(method: "POST", headers: headers, body: Data(body.utf8)))
    }

    /// The SSE events of `body`: (id, data) pairs.
    private func events(_ body: Data) -> [(id: String?, data: String)] {
        String(decoding: body, as: UTF8.self).components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { event in
            let lines = event.split(separator: "\n", omittingEmptySubsequences: false)
            let id = lines.first { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }
            let data = lines.first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) } ?? ""
            return (id, data)
        }
    }

    private func message(_ body: Data) throws -> [String: Value] {
        let last = try #require(events(body).last)
        return try #require(try JSONDecoder().decode(Value.self, from: Data(last.data.utf8)).objectValue)
    }

    @Test func aToolCallIsAnsweredInOneSSEBodyWithAPrimingEventAndTheResult() async throws {
        // Given a coordinator session
        let manager = TestSessions.makeManager(repository: try await TestStore.makeSeededDatabase(projectPath: "/tmp"))
        let session = try await startSession(manager)

        // When it calls a tool with a string id
        let response = await post(
            #"{"jsonrpc":"2.0","id":"call-1","method":"tools/call","params":{"name":"list_projects","arguments":{}}}"#,
            session: session,
            to: manager
        )

        // Then the answer is a complete SSE body: a priming event to resume from, then the response
        #expect(response.statusCode == 200)
        #expect(response.headers[HTTPHeaderName.contentType] == "text/event-stream")
        let body = try #require(response.bodyData)
        let frames = events(body)
        #expect(frames.count == 2)
        #expect(frames.first?.data == "" && frames.first?.id != nil)
        let message = try message(body)
        #expect(message["jsonrpc"] == "2.0" && message["id"] == "call-1")
        let result = try #require(message["result"]?.objectValue)
        let structured = try #require(result["structuredContent"])
        let text = try #require(result["content"]?.arrayValue?.first?.objectValue?["text"]?.stringValue)
        #expect(try JSONDecoder().decode(Value.self, from: Data(text.utf8)) == structured)
        #expect(structured.objectValue?["projects"]?.arrayValue?.first?.objectValue?["repository_name"] == "acme/shop")
        #expect(result["isError"] == nil)
    }

    @Test func listsTheToolsAndRefusesAnUnknownToolWithInvalidParams() async throws {
        let manager = TestSessions.makeManager(repository: try TestStore.makeDatabase())
        let session = try await startSession(manager)

        let listing = try message(
            try #require(
                await post(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#, session: session, to: manager).bodyData
            )
        )
        let tools = try #require(listing["result"]?.objectValue?["tools"]?.arrayValue)
        #expect(tools.count == 32)
        #expect(tools.contains { $0.objectValue?["name"] == "create_ticket" })

        let unknown = try message(
            try #require(
                await post(
                    #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"no_such_tool"}}"#,
                    session: session,
                    to: manager
                ).bodyData
            )
        )
        #expect(unknown["id"] == 3)
        #expect(unknown["error"]?.objectValue?["code"] == .int(-32602))
    }

    @Test func aRefusedToolCallIsAnErrorResultWithOneSentence() async throws {
        let manager = TestSessions.makeManager(repository: try TestStore.makeDatabase())
        let session = try await startSession(manager)
        let refused = try message(
            try #require(
                await post(
                    #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get_ticket","arguments":{"ticket_id":"NOPE-1"}}}"#,
                    session: session,
                    to: manager
                ).bodyData
            )
        )
        let result = try #require(refused["result"]?.objectValue)
        #expect(result["isError"] == true)
        let sentence = try #require(result["content"]?.arrayValue?.first?.objectValue?["text"]?.stringValue)
        #expect(result["structuredContent"] == ["error": .string(sentence)])
        #expect(sentence.contains("NOPE-1"))
    }

    @Test func theTransportsRulesStillApply() async throws {
        let manager = TestSessions.makeManager(repository: try TestStore.makeDatabase())
        let session = try await startSession(manager)
        let call = #"{"jsonrpc":"2.0","id":5,"method":"tools/list"}"#

        // An unknown session is 404
        #expect(await post(call, session: "no-such-session", to: manager).statusCode == 404)

        // A client that cannot read SSE is refused by the Accept validator
        var headers = Self.headers
        headers[HTTPHeaderName.sessionID] = session
        headers["Accept"] = "application/json"
        let refused = await manager.handle(HTTPRequest(method: "POST", headers: headers, body: Data(call.utf8)))
        #expect(refused.statusCode == 406)
    }

    @Test func aToolThatWaitsIsAnsweredOnAStreamOpenedAtOnce() async throws {
        let manager = TestSessions.makeManager(repository: try TestStore.makeDatabase())
        let session = try await startSession(manager)
        let response = await post(
            #"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"wait_for_events","arguments":{"timeout_seconds":0}}}"#,
            session: session,
            to: manager
        )
        guard case .stream(let stream, _) = response else {
            Issue.record("wait_for_events was not answered on a stream")
            return
        }
        var body = Data()
        for try await chunk in stream { body += chunk }
        let message = try message(body)
        #expect(message["id"] == 6)
        #expect(message["result"]?.objectValue?["structuredContent"]?.objectValue?["events"] == [])
    }
}
