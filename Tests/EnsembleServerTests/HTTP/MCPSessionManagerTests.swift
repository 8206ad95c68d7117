import EnsembleCore
import EnsembleServer
import EnsembleTestSupport
import Foundation
import Logging
import MCP
import Testing

struct MCPSessionManagerTests {
    private static let initialize = Data(
        #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
            .utf8
    )
    private static let headers = ["Content-Type": "application/json", "Accept": "application/json, text/event-stream"]

    private func makeManager(idleTimeout: Duration) throws -> MCPSessionManager {
        TestSessions.makeManager(repository: try TestStore.makeDatabase(), idleTimeout: idleTimeout)
    }

    @Test func reapsSessionsIdleForTheTimeoutAndTheirIDsStopWorking() async throws {
        // Given a coordinator session, quiet for longer than the idle timeout
        let clock = ManualClock()
        let manager = TestSessions.makeManager(
            repository: try TestStore.makeDatabase(),
            idleTimeout: .seconds(1800),
            clock: clock
        )
        let response = await manager.handle(HTTPRequest(method: "POST", headers: Self.headers, body: Self.initialize))
        let session = try #require(response.headers[HTTPHeaderName.sessionID])
        #expect(await manager.sessionCount == 1)
        clock.advance(by: .seconds(1799))
        #expect(await manager.reapIdleSessions() == 0)
        clock.advance(by: .seconds(1))

        // When the reaper runs
        let reaped = await manager.reapIdleSessions()

        // Then the session is gone and its id gets 404
        #expect(reaped == 1)
        #expect(await manager.sessionCount == 0)
        let later = await manager.handle(
            HTTPRequest(method: "GET", headers: [HTTPHeaderName.sessionID: session, "Accept": "text/event-stream"])
        )
        #expect(later.statusCode == 404)
    }

    @Test func aCallerHoldsABoundedNumberOfSessionsAndTheLeastRecentlyUsedMakeRoom() async throws {
        // Given a coordinator that opened as many sessions as it may
        let clock = ManualClock()
        let manager = TestSessions.makeManager(
            repository: try TestStore.makeDatabase(),
            maximumSessionsPerCaller: 3,
            clock: clock
        )
        var opened: [String] = []
        var stream: HTTPResponse?
        for number in 0..<3 {
            let response = await manager.handle(
                HTTPRequest(method: "POST", headers: Self.headers, body: Self.initialize)
            )
            opened.append(try #require(response.headers[HTTPHeaderName.sessionID]))
            if number == 0 {
                // The oldest, and least recently used, session holds a stream (kept alive here).
                stream = await manager.handle(
                    HTTPRequest(
                        method: "GET",
                        headers: [HTTPHeaderName.sessionID: opened[0], "Accept": "text/event-stream"]
                    )
                )
                #expect(stream?.statusCode == 200)
            }
            clock.advance(by: .seconds(1))
        }

        // When it opens two more
        let fourth = await manager.handle(HTTPRequest(method: "POST", headers: Self.headers, body: Self.initialize))
        let fifth = await manager.handle(HTTPRequest(method: "POST", headers: Self.headers, body: Self.initialize))

        // Then its two least recently used sessions made room, also the one with a stream (a
        // dropped stream is noticed only when written to), and their ids get 404
        #expect(fourth.statusCode == 200 && fifth.statusCode == 200)
        #expect(await manager.sessionCount == 3)
        for (index, expected) in [(0, 404), (1, 404), (2, 200)] {
            let answer = await manager.handle(
                HTTPRequest(
                    method: "DELETE",
                    headers: [HTTPHeaderName.sessionID: opened[index], "Accept": "text/event-stream"]
                )
            )
            #expect(answer.statusCode == expected, "session \(index)")
        }
        withExtendedLifetime(stream) {}
    }

    @Test func concurrentInitializesNeverExceedACallersLimit() async throws {
        let manager = TestSessions.makeManager(repository: try TestStore.makeDatabase(), maximumSessionsPerCaller: 4)
        await withTaskGroup(of: Int.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    await manager.handle(HTTPRequest(method: "POST", headers: Self.headers, body: Self.initialize))
                        .statusCode
                }
            }
            for await status in group { #expect(status == 200) }
        }
        #expect(await manager.sessionCount == 4)
    }

    @Test func keepsSessionsThatAreNotIdle() async throws {
        let manager = try makeManager(idleTimeout: .seconds(3600))
        _ = await manager.handle(HTTPRequest(method: "POST", headers: Self.headers, body: Self.initialize))

        #expect(await manager.reapIdleSessions() == 0)
        #expect(await manager.sessionCount == 1)
        await manager.closeAllSessions()
        #expect(await manager.sessionCount == 0)
    }

    @Test func endsAWorkerSessionOnceItsTokenIsRevokedAndRefusesUnknownTokens() async throws {
        // Given a worker session opened with a valid token
        let credentials = WorkerCredentials()
        let identity = WorkerIdentity(
            workerId: WorkerID(uncheckedRawValue: "worker_coder_1"),
            projectId: ProjectID(uncheckedRawValue: "a/b"),
            workerType: WorkerTypeName(uncheckedRawValue: "coder"),
            queueName: QueueName(uncheckedRawValue: "queue_coder_1")
        )
        let token = credentials.issue(for: identity)
        let clock = ManualClock()
        let manager = TestSessions.makeManager(
            repository: try TestStore.makeDatabase(),
            credentials: credentials,
            idleTimeout: .seconds(1800),
            clock: clock
        )
        var headers = Self.headers
        headers["Authorization"] = "Bearer \(token)"
        _ = await manager.handle(HTTPRequest(method: "POST", headers: headers, body: Self.initialize))

        // A run that stays quiet for hours (a long build) keeps its session
        clock.advance(by: .seconds(4 * 3600))
        #expect(await manager.reapIdleSessions() == 0)

        // When its process ends and the token is revoked, the reaper ends the session
        credentials.revoke(identity.workerId)
        #expect(await manager.reapIdleSessions() == 1)

        // And a request with a token this server never issued is refused
        headers["Authorization"] = "Bearer forged"
        let refused = await manager.handle(HTTPRequest(method: "POST", headers: headers, body: Self.initialize))
        #expect(refused.statusCode == 401)
    }
}
