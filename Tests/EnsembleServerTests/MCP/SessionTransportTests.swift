import EnsembleServer
import Foundation
import Logging
import MCP
import Testing

struct SessionTransportTests {
    private static let session = "session-1"

    private func makeTransport(replay: ReplayLimits = ReplayLimits()) -> SessionTransport {
        SessionTransport(
            sessionID: Self.session,
            validation: StandardValidationPipeline(validators: [AcceptHeaderValidator(mode: .sseRequired)]),
            replay: replay,
            logger: Logger(label: "test")
        )
    }

    private func get(_ transport: SessionTransport, lastEventID: String? = nil) async -> HTTPResponse {
        var headers = ["Accept": "text/event-stream", HTTPHeaderName.sessionID: Self.session]
        headers[HTTPHeaderName.lastEventID] = lastEventID
        return await transport.handle(HTTPRequest(method: "GET", headers: headers))
    }

    private func notification(_ number: Int, padding: Int = 0) -> Data {
        let pad = String(repeating: "x", count: padding)
        return Data(#"{"jsonrpc":"2.0","method":"notifications/message","params":{"n":\#(number),"p":"\#(pad)"}}"#.utf8)
    }

    /// Waits, without sleeping, until the transport has noticed a stream's end.
    private func waitUntilNoStream(_ transport: SessionTransport) async {
        var rounds = 0
        while await transport.hasOpenStream, rounds < 10_000 {
            rounds += 1
            await Task.yield()
        }
    }

    @Test func aClientThatDroppedItsStreamCanOpenANewOneInsteadOfGetting409() async throws {
        let transport = makeTransport()
        let first = await get(transport)
        guard case .stream(let stream, _) = first else { throw TestFailure("no stream: \(first.statusCode)") }
        #expect(await transport.hasOpenStream)

        // The client goes away: its reading ends.
        let reader = Task { for try await _ in stream {} }
        reader.cancel()
        await waitUntilNoStream(transport)
        #expect(await !transport.hasOpenStream)

        let second = await get(transport)
        #expect(second.statusCode == 200)
        #expect(await transport.hasOpenStream)
    }

    @Test func aNewStreamReplacesAnOlderOneAndGetsTheMessagesFromThenOn() async throws {
        let transport = makeTransport()
        guard case .stream(let old, _) = await get(transport) else { throw TestFailure("no first stream") }
        guard case .stream(let new, _) = await get(transport) else { throw TestFailure("no second stream") }
        try await transport.send(notification(1))

        var oldFrames: [String] = []
        for try await chunk in old { oldFrames.append(String(decoding: chunk, as: UTF8.self)) }
        #expect(oldFrames.count == 1 && oldFrames[0].contains("data: \n"))
        var iterator = new.makeAsyncIterator()
        _ = try await iterator.next()
        let message = try #require(try await iterator.next())
        #expect(String(decoding: message, as: UTF8.self).contains(#""n":1"#))
    }

    @Test func replayStaysBoundedHoweverManyMessagesASessionSends() async throws {
        let transport = makeTransport(replay: ReplayLimits(maximumCount: 64, maximumBytes: 64 * 1024))
        for number in 0..<10_000 {
            try await transport.send(notification(number, padding: 100))
        }
        let footprint = await transport.replayFootprint
        #expect(footprint.count <= 64)
        #expect(footprint.bytes <= 64 * 1024)
    }

    @Test func aResumedStreamReplaysWhatItMissedAndAnUnknownRequestEventIsRefused() async throws {
        let transport = makeTransport()
        guard case .stream(let stream, _) = await get(transport) else { throw TestFailure("no stream") }
        var iterator = stream.makeAsyncIterator()
        let priming = String(decoding: try #require(try await iterator.next()), as: UTF8.self)
        let primingID = try #require(priming.split(separator: "\n").first?.dropFirst("id: ".count))
        try await transport.send(notification(7))

        let resumed = await get(transport, lastEventID: String(primingID))
        guard case .stream(let replay, _) = resumed else { throw TestFailure("no resumed stream") }
        var replayed = replay.makeAsyncIterator()
        let first = String(decoding: try #require(try await replayed.next()), as: UTF8.self)
        #expect(first.contains(#""n":7"#))

        #expect(await get(transport, lastEventID: "42_1").statusCode == 400)
        #expect(await get(transport, lastEventID: "_GET_stream_999").statusCode == 200)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
