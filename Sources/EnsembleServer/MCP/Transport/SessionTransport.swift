package import Foundation
package import Logging
package import MCP
import Synchronization

/// The streamable-HTTP transport of one MCP session, in place of swift-sdk's
/// `StatefulHTTPServerTransport`, whose memory and streams do not suit a server that runs for days:
///
/// - Replay is a `ReplayBuffer`: a bounded window, not every message of the session's life.
/// - A stream the client dropped is forgotten when it ends, so a later `GET` opens a new stream
///   (the SDK answered 409 for the rest of the session), and a new `GET` replaces an older one.
/// - `hasOpenStream` tells the session manager whether a notification can reach anyone.
///
/// The protocol is the SDK's: POST requests are answered on their own SSE stream, notifications
/// and responses from the client get 202, GET opens the stream for server-initiated messages,
/// DELETE ends the session. Requests are validated by the SDK's validators.
///
/// Tool calls are answered by the session manager itself (`admit`, then `answer` or
/// `openStream` and `finish`); their streams and replay work the same way.
///
/// Isolation: an actor. `admit` runs off it (whether the session started and ended are
/// atomics), and `answer` hops on only for the replay's bookkeeping: the calls of one busy session
/// wait little for each other. Streams are told apart by a generation number, so the end of an
/// old stream never clears a newer one.
package actor SessionTransport: Transport {
    package nonisolated let logger: Logger

    private let sessionID: String
    private let validation: any HTTPRequestValidationPipeline
    /// Whether `initialize` was received, and whether the session ended: atomics, so that
    /// `admit` checks a tool call without a hop to the actor.
    private let initialized = Atomic(false)
    private let terminated = Atomic(false)

    private let incoming: AsyncThrowingStream<Data, any Swift.Error>
    private let incomingContinuation: AsyncThrowingStream<Data, any Swift.Error>.Continuation

    private struct OpenStream {
        let generation: Int
        let continuation: AsyncThrowingStream<Data, any Swift.Error>.Continuation
    }

    /// A request still waiting for its response: the replay key of its stream (never the client's
    /// id, which could hold line breaks and forge SSE fields), and its stream while one is open.
    private struct PendingRequest {
        let key: String
        var stream: OpenStream?
    }

    /// The requests waiting for their responses, by JSON-RPC id.
    private var pending: [String: PendingRequest] = [:]
    private var requestCounter = 0
    /// The stream for server-initiated messages (from GET).
    private var standaloneStream: OpenStream?
    private var generation = 0
    private var replay: ReplayBuffer
    private var eventCounter = 0

    /// The most unread frames the GET stream keeps for a client that does not read it.
    static let standaloneBacklog = 256

    /// The replay stream name of the GET stream.
    static let standaloneStreamName = "_GET_stream"

    /// A transport for the session `sessionID`, keeping `replay` for reconnects.
    package init(
        sessionID: String,
        validation: any HTTPRequestValidationPipeline,
        replay: ReplayLimits = ReplayLimits(),
        logger: Logger
    ) {
        self.sessionID = sessionID
        let sessionHeaders = [HTTPHeaderName.sessionID: sessionID]
        self.sessionHeaders = sessionHeaders
        self.streamHeaders = Self.streamHeaders(of: sessionHeaders)
        self.validation = validation
        self.replay = ReplayBuffer(maximumCount: replay.maximumCount, maximumBytes: replay.maximumBytes)
        self.logger = logger
        (incoming, incomingContinuation) = AsyncThrowingStream<Data, any Swift.Error>.makeStream()
    }

    /// Whether a GET stream is open, so a server-initiated message reaches the client now.
    package var hasOpenStream: Bool { standaloneStream != nil }

    /// The replay window's size now, in messages and bytes.
    package var replayFootprint: (count: Int, bytes: Int) { (replay.retained.count, replay.retainedBytes) }

    // MARK: - Transport

    package func connect() async throws {}

    package func disconnect() async {
        terminate()
    }

    package func receive() -> AsyncThrowingStream<Data, any Swift.Error> {
        incoming
    }

    /// Routes a message from the server: a response to its request's stream (which it ends),
    /// anything else to the GET stream; both are kept for replay.
    package func send(_ data: Data) async throws {
        guard !terminated.load(ordering: .acquiring) else { throw MCPError.connectionClosed }
        if let id = JSONRPCRouting.responseID(of: data) {
            deliver(data, toRequest: id)
        } else {
            let eventID = remember(data, on: Self.standaloneStreamName)
            standaloneStream?.continuation.yield(SSEFrame.message(data, id: eventID))
        }
    }

    /// Ends the stream of request `id` with `response`, kept for replay; a response to a request
    /// not waiting (answered already, or the session ended) is dropped.
    private func deliver(_ response: Data, toRequest id: String) {
        guard let request = pending.removeValue(forKey: id) else { return }
        let eventID = remember(response, on: request.key)
        request.stream?.continuation.yield(SSEFrame.message(response, id: eventID))
        request.stream?.continuation.finish()
    }

    // MARK: - Requests answered by the session manager

    /// A request the session manager answers itself (tool calls), admitted by this transport.
    package struct AdmittedRequest: Sendable {
        /// The JSON-RPC id as text (see `JSONRPCRouting`).
        let id: String
        let protocolVersion: String?
    }

    /// Validates a request the session manager answers itself, exactly as any POST is validated;
    /// its header names are in lower case, as the session manager passes every request.
    /// - Returns: The admitted request, or the HTTP answer refusing it.
    package nonisolated func admit(_ request: HTTPRequest, id: String) -> Result<AdmittedRequest, HTTPRefusal> {
        guard !terminated.load(ordering: .acquiring) else {
            return .failure(
                HTTPRefusal(
                    response: .error(
                        statusCode: 404,
                        .invalidRequest("Not Found: Session has been terminated"),
                        sessionID: sessionID
                    )
                )
            )
        }
        if let refusal = postRefusal(of: request, isInitialization: false) {
            return .failure(HTTPRefusal(response: refusal))
        }
        return .success(
            AdmittedRequest(id: id, protocolVersion: request.field(.protocolVersion))
        )
    }

    /// The whole answer to `request` as one SSE body (a priming event, then `response`), kept for
    /// replay like a streamed answer, so a client that loses it midway resumes the same way.
    ///
    /// Only the replay's bookkeeping runs on the actor; the body, a copy of the whole response,
    /// is written outside it, so the many calls of one session hold the actor briefly.
    package nonisolated func answer(_ request: AdmittedRequest, with response: Data) async -> HTTPResponse {
        let primes = Self.primes(request.protocolVersion)
        let (primingID, messageID) = await keep(response, priming: primes)
        var body = Data(capacity: response.count + 96)
        if let primingID { SSEFrame.appendPriming(id: primingID, to: &body) }
        SSEFrame.appendMessage(response, id: messageID, to: &body)
        return .data(body, headers: streamHeaders)
    }

    /// Keeps a whole answer (`response`, after a priming event when `priming`) for replay on a
    /// stream of its own; returns their event ids.
    private func keep(_ response: Data, priming: Bool) -> (priming: String?, message: String) {
        let key = nextRequestKey()
        let primingID = priming ? remember(Data(), on: key) : nil
        return (primingID, remember(response, on: key))
    }

    /// An SSE stream for `request`, opened now, that `send` or `finish(_:with:)` ends with the
    /// response: for tools that may wait long, so the client has its headers and an id at once.
    package func openStream(for request: AdmittedRequest) -> HTTPResponse {
        let key = nextRequestKey()
        let id = request.id
        let (stream, continuation) = openStream { transport, generation in
            await transport.requestStreamEnded(id, generation: generation)
        }
        pending[id] = PendingRequest(key: key, stream: OpenStream(generation: generation, continuation: continuation))
        prime(continuation, stream: key, protocolVersion: request.protocolVersion)
        return .stream(stream, headers: streamHeaders)
    }

    /// The replay key of the next request's stream: ours, never the client's id.
    private func nextRequestKey() -> String {
        requestCounter += 1
        return "r\(requestCounter)"
    }

    /// Ends the stream `openStream(for:)` opened for `request` with `response`.
    package func finish(_ request: AdmittedRequest, with response: Data) {
        deliver(response, toRequest: request.id)
    }

    /// Writes an SSE comment on every open stream: a stream whose client vanished without closing
    /// its connection then fails to write and ends, instead of holding a descriptor for ever.
    package func keepAlive() {
        standaloneStream?.continuation.yield(SSEFrame.keepAlive)
        for request in pending.values { request.stream?.continuation.yield(SSEFrame.keepAlive) }
    }

    // MARK: - HTTP

    /// Answers one HTTP exchange of this session.
    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        handle(request, kind: nil)
    }

    /// Answers one HTTP exchange of this session whose POST body was already classified as `kind`.
    package func handle(_ request: HTTPRequest, kind: JSONRPCRouting.Kind?) -> HTTPResponse {
        let request = request.withLowercasedFieldNames
        guard !terminated.load(ordering: .acquiring) else {
            return .error(
                statusCode: 404,
                .invalidRequest("Not Found: Session has been terminated"),
                sessionID: sessionID
            )
        }
        switch request.method.uppercased() {
        case "POST": return post(request, kind: kind)
        case "GET": return get(request)
        case "DELETE": return delete(request)
        default:
            return .error(
                statusCode: 405,
                .invalidRequest("Method Not Allowed"),
                sessionID: sessionID,
                extraHeaders: [HTTPHeaderName.allow: "GET, POST, DELETE"]
            )
        }
    }

    private func post(_ request: HTTPRequest, kind: JSONRPCRouting.Kind?) -> HTTPResponse {
        guard let body = request.body, !body.isEmpty, let kind = kind ?? JSONRPCRouting.Kind(data: body) else {
            return .error(statusCode: 400, .parseError("Invalid JSON-RPC message"), sessionID: sessionID)
        }
        if let refusal = postRefusal(of: request, isInitialization: kind.isInitialize) { return refusal }
        switch kind {
        case .notificationOrResponse:
            incomingContinuation.yield(body)
            return .accepted(headers: sessionHeaders)
        case .request(let id, let method):
            if method == "initialize" {
                guard !initialized.load(ordering: .acquiring) else {
                    return .error(
                        statusCode: 400,
                        .invalidRequest("Bad Request: Session already initialized"),
                        sessionID: sessionID
                    )
                }
                initialized.store(true, ordering: .releasing)
            }
            let response = openStream(
                for: AdmittedRequest(id: id, protocolVersion: Self.protocolVersion(of: request, body: body))
            )
            incomingContinuation.yield(body)
            return response
        }
    }

    private func get(_ request: HTTPRequest) -> HTTPResponse {
        if let refusal = refusal(of: request, method: "GET") { return refusal }
        var replayed: [ReplayBuffer.Event] = []
        var streamName = Self.standaloneStreamName
        if let last = request.field(.lastEventID) {
            if let found = replay.events(after: last) {
                (streamName, replayed) = found
            } else if !last.hasPrefix(Self.standaloneStreamName) {
                return .error(
                    statusCode: 400,
                    .invalidRequest("Last-Event-ID '\(last)' is no longer held: send the request again."),
                    sessionID: sessionID
                )
            }
        }
        let isStandalone = streamName == Self.standaloneStreamName
        let waiting = pending.first { $0.value.key == streamName }?.key
        let (stream, continuation) = openStream(backlog: isStandalone ? Self.standaloneBacklog : nil) {
            transport,
            generation in
            if isStandalone {
                await transport.standaloneStreamEnded(generation: generation)
            } else if let waiting {
                await transport.requestStreamEnded(waiting, generation: generation)
            }
        }
        for event in replayed {
            continuation.yield(SSEFrame.message(event.message, id: event.id))
        }
        let open = OpenStream(generation: generation, continuation: continuation)
        if isStandalone {
            // A client opens a new stream when it believes the old one dead; it is.
            standaloneStream?.continuation.finish()
            standaloneStream = open
        } else if let waiting {
            pending[waiting]?.stream?.continuation.finish()
            pending[waiting]?.stream = open
        } else {
            // The response was already sent, and replayed above: this stream has nothing more.
            continuation.finish()
            return .stream(stream, headers: streamHeaders)
        }
        prime(continuation, stream: streamName, protocolVersion: request.field(.protocolVersion))
        return .stream(stream, headers: streamHeaders)
    }

    private func delete(_ request: HTTPRequest) -> HTTPResponse {
        if let refusal = refusal(of: request, method: "DELETE") { return refusal }
        terminate()
        return .ok(headers: sessionHeaders)
    }

    /// The validators' answer to a POST, or `nil` when it may proceed.
    private nonisolated func postRefusal(of request: HTTPRequest, isInitialization: Bool) -> HTTPResponse? {
        let context = HTTPValidationContext(
            httpMethod: "POST",
            sessionID: initialized.load(ordering: .acquiring) ? sessionID : nil,
            isInitializationRequest: isInitialization,
            supportedProtocolVersions: Version.supported
        )
        return validation.validate(request, context: context)
    }

    /// The validators' answer to a `GET` or `DELETE` of this session, or `nil` when it may proceed.
    private func refusal(of request: HTTPRequest, method: String) -> HTTPResponse? {
        let context = HTTPValidationContext(
            httpMethod: method,
            sessionID: sessionID,
            isInitializationRequest: false,
            supportedProtocolVersions: Version.supported
        )
        return validation.validate(request, context: context)
    }

    // MARK: - Streams

    /// A new SSE stream whose end (the client went away, or we finished it) calls `ended`.
    ///
    /// A stream of server-initiated messages keeps at most `backlog` frames its client has not
    /// read (the oldest go: they are hints, the events stay in the store); a request's stream
    /// carries little more than its one response and is not bounded.
    private func openStream(
        backlog: Int? = nil,
        ended: @escaping @Sendable (SessionTransport, Int) async -> Void
    ) -> (AsyncThrowingStream<Data, any Swift.Error>, AsyncThrowingStream<Data, any Swift.Error>.Continuation) {
        generation += 1
        let current = generation
        let (stream, continuation) = AsyncThrowingStream<Data, any Swift.Error>.makeStream(
            bufferingPolicy: backlog.map { .bufferingNewest($0) } ?? .unbounded
        )
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            Task { await ended(self, current) }
        }
        return (stream, continuation)
    }

    /// The client left a request's stream: its response, when it comes, is kept for a resume.
    private func requestStreamEnded(_ id: String, generation: Int) {
        if pending[id]?.stream?.generation == generation {
            pending[id]?.stream = nil
        }
    }

    private func standaloneStreamEnded(generation: Int) {
        if standaloneStream?.generation == generation {
            standaloneStream = nil
        }
    }

    /// Sends the priming event that lets a client resume a stream (protocol 2025-03-26 and later).
    private func prime(
        _ continuation: AsyncThrowingStream<Data, any Swift.Error>.Continuation,
        stream: String,
        protocolVersion: String?
    ) {
        guard Self.primes(protocolVersion) else { return }
        continuation.yield(SSEFrame.priming(id: remember(Data(), on: stream)))
    }

    /// Whether streams of a client speaking `protocolVersion` start with a priming event.
    private static func primes(_ protocolVersion: String?) -> Bool {
        (protocolVersion ?? Version.latest) >= "2025-03-26"
    }

    /// Keeps `message` for replay on `stream`; returns its event id.
    private func remember(_ message: Data, on stream: String) -> String {
        eventCounter += 1
        let id = "\(stream)_\(eventCounter)"
        replay.append(ReplayBuffer.Event(stream: stream, id: id, message: message))
        return id
    }

    private func terminate() {
        guard !terminated.load(ordering: .acquiring) else { return }
        terminated.store(true, ordering: .releasing)
        for request in pending.values { request.stream?.continuation.finish() }
        pending.removeAll()
        standaloneStream?.continuation.finish()
        standaloneStream = nil
        replay.removeAll()
        incomingContinuation.finish()
    }

    // MARK: - Headers

    /// The headers of every answer, and of every SSE answer: the same for the session's whole
    /// life, so made once, not on every tool call.
    private let sessionHeaders: [String: String]
    private let streamHeaders: [String: String]

    private static func streamHeaders(of sessionHeaders: [String: String]) -> [String: String] {
        var headers = sessionHeaders
        headers[HTTPHeaderName.contentType] = "text/event-stream"
        headers[HTTPHeaderName.cacheControl] = "no-cache, no-transform"
        headers[HTTPHeaderName.connection] = "keep-alive"
        return headers
    }

    private static func protocolVersion(of request: HTTPRequest, body: Data) -> String? {
        if case .object(let object)? = try? JSONDecoder().decode(Value.self, from: body),
            object["method"]?.stringValue == "initialize",
            let version = object["params"]?.objectValue?["protocolVersion"]?.stringValue
        {
            return version
        }
        return request.field(.protocolVersion)
    }
}

/// How much of a session's traffic is kept for reconnects.
package struct ReplayLimits: Sendable, Equatable {
    package var maximumCount = 64
    package var maximumBytes = 1 << 20

    package init(maximumCount: Int = 64, maximumBytes: Int = 1 << 20) {
        self.maximumCount = maximumCount
        self.maximumBytes = maximumBytes
    }
}

/// An HTTP answer refusing a request before it is handled.
package struct HTTPRefusal: Error {
    package let response: HTTPResponse
}
