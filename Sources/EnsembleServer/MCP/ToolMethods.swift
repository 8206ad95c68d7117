import Foundation
import MCP

/// The requests every session is busy with, answered without swift-sdk's `Server`: `tools/list`
/// and `tools/call`.
///
/// The SDK erases each result to `Value` by encoding it to JSON and decoding it back, testing
/// every string against a regular expression it builds anew; that was most of a call's cost.
/// Here the request was parsed once (`JSONRPCMessage`), the tool list is written once per
/// caller kind, and a tool's outcome is written once (`ToolOutcome`) into the response. The SDK
/// still handles `initialize`, `ping`, `logging/setLevel`, notifications and server-initiated
/// messages, which are rare.
enum ToolMethods {
    /// The methods answered here.
    static let methods: Set<String> = ["tools/list", "tools/call"]

    /// The tool `params` name, when `method` calls a tool.
    static func toolName(method: String, params: Value?) -> String? {
        method == "tools/call" ? params?.objectValue?["name"]?.stringValue : nil
    }

    /// The JSON-RPC response to a request `id` of `method`, from `registry` (whose listing is
    /// `toolList`, the encoded `tools/list` result).
    static func response(
        method: String,
        id: Value,
        params: Value?,
        registry: ToolRegistry,
        toolList: Data
    ) async -> Data {
        if method == "tools/list" {
            return envelope(id: id, capacity: toolList.count + 64) { $0.writeRaw(toolList) }
        }
        let name = toolName(method: method, params: params) ?? ""
        do {
            let outcome = try await registry.outcome(
                of: name,
                arguments: params?.objectValue?["arguments"]?.objectValue
            )
            // The text is written twice, once quoted, so reserve room for both at once.
            return envelope(id: id, capacity: 2 * outcome.text.count + 256) { outcome.write(into: &$0) }
        } catch let error as MCPError {
            return JSONRPCReply.errorMessage(id: id, error)
        } catch {
            return JSONRPCReply.errorMessage(id: id, .internalError("The tool call was cancelled."))
        }
    }

    /// The `tools/list` result of `registry`, written once.
    static func encodedToolList(of registry: ToolRegistry) -> Data {
        (try? JSONEncoder().encode(ListTools.Result(tools: registry.tools))) ?? Data(#"{"tools":[]}"#.utf8)
    }

    private static func envelope(
        id: Value,
        capacity: Int = 2048,
        result: (inout JSONValueWriter) -> Void
    ) -> Data {
        var writer = JSONValueWriter(reservingCapacity: capacity)
        writer.writeRaw(#"{"jsonrpc":"2.0","id":"#)
        writer.write(id)
        writer.writeRaw(#","result":"#)
        result(&writer)
        writer.writeRaw("}")
        return Data(writer.bytes)
    }
}
