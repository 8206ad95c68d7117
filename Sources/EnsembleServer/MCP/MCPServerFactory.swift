package import MCP

/// Builds the MCP `Server` for one session: identity, instructions, and the tool registry's handlers.
///
/// swift-sdk's `Server` serves exactly one transport, so every session gets a fresh one; all of
/// them share the registry and, through it, the store.
package struct MCPServerFactory: Sendable {
    /// The name clients see in `serverInfo`.
    package static let serverName = "vibe-ensemble"

    package let registry: ToolRegistry
    package let version: String

    package init(registry: ToolRegistry, version: String) {
        self.registry = registry
        self.version = version
    }

    /// A new server with the tools registered, not yet started.
    package func makeServer() async -> Server {
        let server = Server(
            name: Self.serverName,
            version: version,
            title: "vibe-ensemble",
            instructions: CoordinatorInstructions.text,
            capabilities: .init(tools: .init(listChanged: false))
        )
        let registry = registry
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: registry.tools)
        }
        await server.withMethodHandler(CallTool.self) { parameters in
            try await registry.call(parameters.name, arguments: parameters.arguments)
        }
        return server
    }
}
