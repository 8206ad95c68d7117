import Foundation

/// Server-sent event frames as the MCP streamable-HTTP transport writes them.
///
/// A frame is appended to a body reserved for it: a tool result is copied once into its answer.
enum SSEFrame {
    /// A `message` event carrying one JSON-RPC message.
    static func message(_ data: Data, id: String) -> Data {
        var frame = Data(capacity: data.count + id.utf8.count + 32)
        appendMessage(data, id: id, to: &frame)
        return frame
    }

    /// Appends a `message` event carrying `data` to `body`.
    static func appendMessage(_ data: Data, id: String, to body: inout Data) {
        body.append(contentsOf: "id: ".utf8)
        body.append(contentsOf: id.utf8)
        body.append(contentsOf: "\nevent: message\ndata: ".utf8)
        body.append(data)
        body.append(contentsOf: "\n\n".utf8)
    }

    /// A comment line, which clients ignore; it only proves the connection still carries data.
    static let keepAlive = Data(":\n\n".utf8)

    /// An event with empty data that gives the client an id to resume from.
    static func priming(id: String) -> Data {
        var frame = Data(capacity: id.utf8.count + 16)
        appendPriming(id: id, to: &frame)
        return frame
    }

    /// Appends the priming event with `id` to `body`.
    static func appendPriming(id: String, to body: inout Data) {
        body.append(contentsOf: "id: ".utf8)
        body.append(contentsOf: id.utf8)
        body.append(contentsOf: "\ndata: \n\n".utf8)
    }
}
