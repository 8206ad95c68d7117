import Foundation
import MCP

/// What a transport needs to know of a JSON-RPC message to route it: whether it is a request
/// (answered on its own stream, keyed by id) or not, and which request a response answers.
///
/// Ids are keyed as text: `"7"` for the integer 7, the string itself otherwise, the same way for
/// requests in and responses out, so every response finds its stream.
enum JSONRPCRouting {
    enum Kind: Equatable {
        case request(id: String, method: String)
        case notificationOrResponse

        /// Classifies one message; `nil` when it is not a JSON-RPC object.
        init?(data: Data) {
            guard case .object(let object)? = try? JSONDecoder().decode(Value.self, from: data) else { return nil }
            if let method = object["method"]?.stringValue {
                self =
                    object["id"].flatMap(JSONRPCRouting.key(of:)).map { .request(id: $0, method: method) }
                    ?? .notificationOrResponse
            } else if object["result"] != nil || object["error"] != nil {
                self = .notificationOrResponse
            } else {
                return nil
            }
        }

        var isInitialize: Bool {
            if case .request(_, "initialize") = self { return true }
            return false
        }
    }

    /// The request id a response answers, or `nil` for any other message.
    static func responseID(of data: Data) -> String? {
        guard case .object(let object)? = try? JSONDecoder().decode(Value.self, from: data),
            object["method"] == nil, object["result"] != nil || object["error"] != nil
        else { return nil }
        return object["id"].flatMap(key(of:))
    }

    /// The routing key of a JSON-RPC id.
    static func key(of id: Value) -> String? {
        switch id {
        case .string(let text): text
        case .int(let number): String(number)
        default: nil
        }
    }
}
