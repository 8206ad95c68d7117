import Foundation
package import MCP

/// What a transport needs to know of a JSON-RPC message to route it: whether it is a request
/// (answered on its own stream, keyed by id) or not, and which request a response answers.
///
/// Ids are keyed as text: `"7"` for the integer 7, the string itself otherwise, the same way for
/// requests in and responses out, so every response finds its stream. Only the envelope is read
/// (`Envelope`): a response of many kilobytes is scanned, never decoded into `Value`s.
package enum JSONRPCRouting {
    package enum Kind: Equatable, Sendable {
        case request(id: String, method: String)
        case notificationOrResponse

        /// Classifies one message; `nil` when it is not a JSON-RPC object.
        init?(data: Data) {
            guard let envelope = try? JSONDecoder().decode(Envelope.self, from: data) else { return nil }
            if let method = envelope.method {
                self = envelope.id.map { .request(id: $0, method: method) } ?? .notificationOrResponse
            } else if envelope.isResponse {
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

    /// The text key of a JSON-RPC id: the string itself, or the integer's digits.
    package static func key(of id: Value) -> String {
        switch id {
        case .string(let text): text
        case .int(let number): String(number)
        default: "\(id)"
        }
    }

    /// The request id a response answers, or `nil` for any other message.
    static func responseID(of data: Data) -> String? {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: data), envelope.method == nil,
            envelope.isResponse
        else { return nil }
        return envelope.id
    }

    /// The members of a JSON-RPC message that routing needs; the rest is skipped unread.
    private struct Envelope: Decodable {
        let id: String?
        let method: String?
        let isResponse: Bool

        private enum CodingKeys: String, CodingKey {
            case id, method, result, error
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let text = try? container.decode(String.self, forKey: .id) {
                id = text
            } else if let number = try? container.decode(Int.self, forKey: .id) {
                id = String(number)
            } else {
                id = nil
            }
            method = try? container.decode(String.self, forKey: .method)
            isResponse = container.contains(.result) || container.contains(.error)
        }
    }
}
