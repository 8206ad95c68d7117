package import Foundation
package import MCP

/// The shape of a POST body, read just far enough to route it before the SDK parses it.
package enum JSONRPCMessage: Equatable, Sendable {
    /// Not JSON at all.
    case malformed
    /// A JSON array: a batch, which MCP no longer allows.
    case batch
    /// JSON, but not an object.
    case invalid
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
            self = .single(method: object["method"]?.stringValue, id: object["id"], params: object["params"])
        default:
            self = .invalid
        }
    }
}
