package import Foundation
package import MCP

/// Plain JSON-RPC answers the server writes itself, outside any MCP session.
package enum JSONRPCReply {
    /// A JSON-RPC error response as an HTTP error with a JSON body.
    package static func error(status: Int, _ error: MCPError, sessionID: String? = nil) -> HTTPResponse {
        .error(statusCode: status, error, sessionID: sessionID)
    }

    /// A successful JSON-RPC response carrying `result`, as `application/json`.
    package static func result(id: Value?, _ result: some Encodable) throws -> HTTPResponse {
        let body = Envelope(id: id ?? .null, result: result)
        let data = try JSONEncoder().encode(body)
        return .data(data, headers: ["Content-Type": "application/json"])
    }

    /// A JSON-RPC error response with HTTP 200, as a stateless JSON-RPC server answers a failed call.
    package static func failure(id: Value?, _ error: MCPError) -> HTTPResponse {
        .data(errorMessage(id: id, error), headers: ["Content-Type": "application/json"])
    }

    /// The JSON-RPC error response message itself.
    package static func errorMessage(id: Value?, _ error: MCPError) -> Data {
        (try? JSONEncoder().encode(ErrorEnvelope(id: id ?? .null, error: error))) ?? Data()
    }

    private struct Envelope<Result: Encodable>: Encodable {
        var jsonrpc = "2.0"
        var id: Value
        var result: Result
    }

    private struct ErrorEnvelope: Encodable {
        var jsonrpc = "2.0"
        var id: Value
        var error: MCPError
    }
}
