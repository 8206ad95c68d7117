package import Foundation
package import MCP

/// The shape of a POST body, read just far enough to route it before the SDK parses it.
package enum JSONRPCMessage: Equatable, Sendable {
    /// Not JSON at all.
    case malformed
    /// A JSON array: a batch, which MCP no longer allows.
    case batch
    /// JSON, but not a JSON-RPC message MCP accepts; the sentence says why.
    case invalid(String)
    /// One JSON-RPC object with its method (absent for responses) and id (absent for notifications).
    case single(method: String?, id: Value?, params: Value?)

    /// Classifies `body`.
    package init(body: Data) {
        guard let value = try? JSONDecoder().decode(Value.self, from: body) else {
            self = .malformed
            return
        }
        switch value {
        case .array:
            self = .batch
        case .object(let object):
            if object["jsonrpc"] != .string("2.0") {
                self = .invalid("The jsonrpc member must be \"2.0\".")
            } else if let id = object["id"], !Self.isValidID(id) {
                self = .invalid("The id must be a string or an integer (MCP forbids null and other values).")
            } else if let method = object["method"], method.stringValue == nil {
                self = .invalid("The method must be a string.")
            } else {
                self = .single(method: object["method"]?.stringValue, id: object["id"], params: object["params"])
            }
        default:
            self = .invalid("The body must be one JSON-RPC object.")
        }
    }

    private static func isValidID(_ id: Value) -> Bool {
        switch id {
        case .string, .int: true
        default: false
        }
    }
}
