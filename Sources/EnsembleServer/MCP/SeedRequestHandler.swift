import EnsembleCore
import Logging
package import MCP

/// Answers the seeds' session-less `list_tools` and `call_tool` requests with one plain JSON-RPC
/// response, exactly as `tools/list` and `tools/call` would be answered inside a session.
///
/// This keeps the original plan's curl examples working verbatim; real MCP clients never take
/// this path, since they initialise a session first.
package struct SeedRequestHandler: Sendable {
    /// The method names the seeds use, standing for `tools/list` and `tools/call`.
    package static let methods: Set<String> = ["list_tools", "call_tool"]

    let factory: MCPServerFactory

    package init(factory: MCPServerFactory) {
        self.factory = factory
    }

    /// Answers one seed request from `caller`.
    package func handle(method: String, id: Value?, params: Value?, caller: ToolCaller) async -> HTTPResponse {
        let registry = factory.registry(for: caller)
        do {
            switch method {
            case "list_tools":
                return try JSONRPCReply.result(id: id, ListTools.Result(tools: registry.tools))
            default:
                guard let name = params?.objectValue?["name"]?.stringValue else {
                    return JSONRPCReply.failure(
                        id: id,
                        .invalidParams("call_tool needs params.name, the tool to call, and optional params.arguments.")
                    )
                }
                let arguments = params?.objectValue?["arguments"]?.objectValue
                return try JSONRPCReply.result(id: id, try await registry.call(name, arguments: arguments))
            }
        } catch let error as MCPError {
            return JSONRPCReply.failure(id: id, error)
        } catch {
            let incident = InternalFailure()
            factory.logger.error(
                "Seed request failed",
                metadata: [LogKey.error: "\(error)", LogKey.incident: "\(incident.id)"]
            )
            return JSONRPCReply.failure(id: id, .internalError(incident.sentence(for: method)))
        }
    }
}
