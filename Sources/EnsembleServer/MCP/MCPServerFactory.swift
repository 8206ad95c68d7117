import Foundation
package import Logging
package import MCP

/// Builds the MCP `Server` for one session: identity, instructions, and the tools of its caller.
///
/// swift-sdk's `Server` serves exactly one transport, so every session gets a fresh one; all of
/// them share the context and, through it, the store and the supervisor.
package struct MCPServerFactory: Sendable {
    /// The name clients see in `serverInfo`.
    package static let serverName = "vibe-ensemble"

    /// The context every session's tools work with; its caller is replaced per session.
    package let context: ToolContext
    package let version: String
    let logger: Logger

    /// The `tools/list` results of coordinator and worker sessions, written once.
    let coordinatorToolList: Data
    let workerToolList: Data

    package init(context: ToolContext, version: String, logger: Logger) {
        self.context = context
        self.version = version
        self.logger = logger
        coordinatorToolList = ToolMethods.encodedToolList(of: .coordinator(context: context, logger: logger))
        workerToolList = ToolMethods.encodedToolList(of: .worker(context: context, logger: logger))
    }

    /// The encoded `tools/list` result for `caller`.
    func toolList(for caller: ToolCaller) -> Data {
        caller == .coordinator ? coordinatorToolList : workerToolList
    }

    /// The tools `caller` may use.
    package func registry(for caller: ToolCaller) -> ToolRegistry {
        ToolRegistry.for(context.calledBy(caller), logger: logger)
    }

    /// A new server for `caller` with its tools registered, not yet started.
    ///
    /// Sessions answer tool requests themselves (`ToolMethods`); the SDK's handlers serve
    /// in-process clients.
    package func makeServer(for caller: ToolCaller, registry: ToolRegistry? = nil) async -> Server {
        let server = Server(
            name: Self.serverName,
            version: version,
            title: "vibe-ensemble",
            instructions: caller == .coordinator ? CoordinatorInstructions.text : WorkerInstructions.text,
            capabilities: .init(logging: .init(), tools: .init(listChanged: false))
        )
        let registry = registry ?? self.registry(for: caller)
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: registry.tools)
        }
        await server.withMethodHandler(CallTool.self) { parameters in
            try await registry.call(parameters.name, arguments: parameters.arguments)
        }
        return server
    }
}
