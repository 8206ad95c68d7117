package import EnsembleCore
package import EnsembleServer
import Logging
package import MCP

/// A real MCP `Client` connected to a real `Server` through swift-sdk's in-memory transport.
package struct InMemoryMCP: Sendable {
    package let client: Client
    package let server: Server

    /// Connects a client to a coordinator server over `repository`.
    package static func connect(repository: any Repository) async throws -> InMemoryMCP {
        let logger = Logger(label: "test")
        let registry = ToolRegistry.coordinator(context: ToolContext(repository: repository), logger: logger)
        let server = await MCPServerFactory(registry: registry, version: "test").makeServer()
        let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
        try await server.start(transport: serverTransport)
        let client = Client(name: "tests", version: "1.0")
        _ = try await client.connect(transport: clientTransport)
        return InMemoryMCP(client: client, server: server)
    }

    /// Calls a tool and returns the full result, structured content included.
    package func call(_ tool: String, _ arguments: [String: Value] = [:]) async throws -> CallTool.Result {
        try await client.send(CallTool.request(.init(name: tool, arguments: arguments))).value
    }

    /// Disconnects both ends.
    package func close() async {
        await client.disconnect()
        await server.stop()
    }
}
