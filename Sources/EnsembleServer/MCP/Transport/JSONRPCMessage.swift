package import Foundation
package import MCP

/// The shape of a POST body, parsed once (`JSONValueParser`) and read just far enough to route it.
package enum JSONRPCMessage: Equatable, Sendable {
    /// Not JSON at all.
    case malformed
    /// A JSON array: a batch, which MCP no longer allows.
    case batch
    /// JSON, but not a JSON-RPC message MCP accepts; the sentence says why.
    case invalid(String)
    /// One JSON-RPC object.
    case single(Single)

    /// One JSON-RPC object: a request, a notification, or a response from the client.
    package struct Single: Equatable, Sendable {
        /// Absent for responses.
        package let method: String?
        /// Absent for notifications; a string or an integer.
        package let id: Value?
        package let params: Value?
        /// Whether it carries `result` or `error`.
        package let isResponse: Bool

        /// How the transport routes it; `nil` when it is neither a request, a notification nor a response.
        package var routing: JSONRPCRouting.Kind? {
            if let method {
                return id.map { .request(id: JSONRPCRouting.key(of: $0), method: method) } ?? .notificationOrResponse
            }
            return isResponse ? .notificationOrResponse : nil
        }
    }

    /// Classifies `body`.
    package init(body: Data) {
        guard let value = try? JSONValueParser.parse(body) else {
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
                self = .single(
                    Single(
                        method: object["method"]?.stringValue,
                        id: object["id"],
                        params: object["params"],
                        isResponse: object["result"] != nil || object["error"] != nil
                    )
                )
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
