package import EnsembleCore
package import EnsembleServer
import Logging
package import MCP

/// A real MCP `Client` connected to a real `Server` through swift-sdk's in-memory transport.
package struct InMemoryMCP: Sendable {
    package let client: Client
    package let server: Server

    /// Connects a client, calling as `caller`, to a server over `repository` whose workers are
    /// controlled by `workers`.
    package static func connect(
        repository: any Repository,
        workers: any WorkerControl = FakeWorkerControl(),
        caller: ToolCaller = .coordinator,
        bell: EventBell = EventBell()
    ) async throws -> InMemoryMCP {
        let context = ToolContext(repository: repository, workers: workers, events: bell)
        let server = await MCPServerFactory(context: context, version: "test", logger: Logger(label: "test"))
            .makeServer(for: caller)
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
