import MCP

/// The checks every request of a session passes (swift-sdk's `AcceptHeaderValidator` in
/// `.sseRequired` mode, `ContentTypeValidator`, `ProtocolVersionValidator` and `SessionValidator`,
/// with their statuses and sentences), reading each header once with `HTTPRequest.field(_:)`.
///
/// The SDK's validators looked each header up by lowercasing every name the request holds, and
/// split and trimmed copies of the values: a few percent of every tool call.
struct SessionRequestValidation: HTTPRequestValidationPipeline {
    /// Checks `request`, whose header names are in lower case: the transport passes only such
    /// requests (`HTTPRequest.withLowercasedFieldNames`).
    func validate(_ request: HTTPRequest, context: HTTPValidationContext) -> HTTPResponse? {
        acceptRefusal(request, context) ?? contentTypeRefusal(request, context)
            ?? protocolVersionRefusal(request, context) ?? sessionRefusal(request, context)
    }

    private static let json = "application/json"
    private static let eventStream = "text/event-stream"

    private func acceptRefusal(_ request: HTTPRequest, _ context: HTTPValidationContext) -> HTTPResponse? {
        let accepted = (request.field(.accept) ?? "").split(separator: ",").map(\.trimmingSpacesAndTabs)
        let json = accepted.contains { $0.hasPrefix(Self.json) }
        let eventStream = accepted.contains { $0.hasPrefix(Self.eventStream) }
        switch context.httpMethod {
        case "POST" where !(json && eventStream):
            return .error(
                statusCode: 406,
                .invalidRequest("Not Acceptable: Client must accept both application/json and text/event-stream"),
                sessionID: context.sessionID
            )
        case "GET" where !eventStream:
            return .error(
                statusCode: 406,
                .invalidRequest("Not Acceptable: Client must accept text/event-stream"),
                sessionID: context.sessionID
            )
        default:
            return nil
        }
    }

    private func contentTypeRefusal(_ request: HTTPRequest, _ context: HTTPValidationContext) -> HTTPResponse? {
        guard context.httpMethod == "POST" else { return nil }
        let mediaType = (request.field(.contentType) ?? "").prefix { $0 != ";" }
        guard mediaType.trimmingSpacesAndTabs == Self.json else {
            return .error(
                statusCode: 415,
                .invalidRequest("Unsupported Media Type: Content-Type must be application/json"),
                sessionID: context.sessionID
            )
        }
        return nil
    }

    private func protocolVersionRefusal(_ request: HTTPRequest, _ context: HTTPValidationContext) -> HTTPResponse? {
        guard !context.isInitializationRequest, let version = request.field(.protocolVersion),
            !context.supportedProtocolVersions.contains(version)
        else { return nil }
        let supported = context.supportedProtocolVersions.sorted().joined(separator: ", ")
        return .error(
            statusCode: 400,
            .invalidRequest("Bad Request: Unsupported protocol version: \(version). Supported: \(supported)"),
            sessionID: context.sessionID
        )
    }

    private func sessionRefusal(_ request: HTTPRequest, _ context: HTTPValidationContext) -> HTTPResponse? {
        guard !context.isInitializationRequest else { return nil }
        guard let expected = context.sessionID else {
            return .error(statusCode: 400, .invalidRequest("Bad Request: Session not initialized"), sessionID: nil)
        }
        guard let sent = request.field(.sessionID) else {
            return .error(
                statusCode: 400,
                .invalidRequest("Bad Request: Missing \(HTTPHeaderName.sessionID) header"),
                sessionID: expected
            )
        }
        guard sent == expected else {
            return .error(
                statusCode: 404,
                .invalidRequest("Not Found: Invalid or expired session ID"),
                sessionID: expected
            )
        }
        return nil
    }
}
