import Foundation

/// Server-sent event frames as the MCP streamable-HTTP transport writes them.
enum SSEFrame {
    /// A `message` event carrying one JSON-RPC message.
    static func message(_ data: Data, id: String) -> Data {
        Data("id: \(id)\nevent: message\ndata: ".utf8) + data + Data("\n\n".utf8)
    }

    /// A comment line, which clients ignore; it only proves the connection still carries data.
    static let keepAlive = Data(":\n\n".utf8)

    /// An event with empty data that gives the client an id to resume from.
    static func priming(id: String) -> Data {
        Data("id: \(id)\ndata: \n\n".utf8)
    }
}
