import Foundation

/// The JSON-RPC error body of a request refused before it reaches MCP (no id is known yet).
enum JSONRPCErrorBody {
    /// `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":…}}` for `message`.
    static func invalidRequest(_ message: String) -> String {
        let escaped = (try? JSONEncoder().encode(message)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        return #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":\#(escaped)}}"#
    }
}
