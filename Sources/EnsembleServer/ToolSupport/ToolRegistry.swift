package import EnsembleCore
package import Logging
package import MCP

/// The tools one MCP session offers, by name.
///
/// The registry owns the boundary between MCP and the tools: it validates arguments against each
/// tool's parameters, runs the handler, and turns the outcome into a `CallTool.Result`. Bad input
/// and refused operations become results with `isError: true` and one sentence; an unknown tool
/// is a protocol error (-32602). Nothing thrown by a handler escapes as a crash.
///
/// ```swift
/// let registry = ToolRegistry.coordinator(context: ToolContext(repository: database), logger: logger)
/// let result = try await registry.call("list_projects", arguments: nil)
/// ```
package struct ToolRegistry: Sendable {
    private let handlers: [String: any ToolHandler]
    private let logger: Logger

    /// The tools in the order they are listed to clients.
    package let tools: [Tool]

    // MARK: - Initialization

    /// Creates a registry of `handlers`; a later handler with the same name replaces an earlier one.
    package init(_ handlers: [any ToolHandler], logger: Logger) {
        var byName: [String: any ToolHandler] = [:]
        var tools: [Tool] = []
        for handler in handlers {
            let definition = type(of: handler).definition
            if byName.updateValue(handler, forKey: definition.name) == nil {
                tools.append(definition.tool)
            }
        }
        self.handlers = byName
        self.tools = tools
        self.logger = logger
    }

    // MARK: - Calling tools

    /// Whether the tool `name` may wait long before it answers (see `ToolDefinition.waits`).
    package func waits(_ name: String) -> Bool {
        handlers[name].map { type(of: $0).definition.waits } ?? false
    }

    /// Calls the tool `name`.
    /// - Throws: `MCPError.invalidParams` for an unknown tool; never for a tool's own failures.
    package func call(_ name: String, arguments: [String: Value]?) async throws -> CallTool.Result {
        try await outcome(of: name, arguments: arguments).result
    }

    /// Calls the tool `name` and keeps its outcome as written JSON, for answers written directly.
    /// - Throws: `MCPError.invalidParams` for an unknown tool; never for a tool's own failures.
    package func outcome(of name: String, arguments: [String: Value]?) async throws -> ToolOutcome {
        guard let handler = handlers[name] else {
            throw MCPError.invalidParams(
                "Unknown tool '\(name)'. Call tools/list to see the \(tools.count) tools this server offers."
            )
        }
        // Metadata is built only for a line that is logged: a logger's own metadata is copied on
        // every call, which a tool call of a few microseconds felt.
        do {
            let parsed = try ToolArguments(validating: arguments, for: type(of: handler).definition)
            let outcome = try ToolOutcome.success(try await handler.call(parsed))
            logger.debug("Tool call succeeded", metadata: [LogKey.toolName: "\(name)"])
            return outcome
        } catch let error as ToolError {
            logger.debug("Tool call rejected", metadata: [LogKey.toolName: "\(name)", LogKey.error: "\(error)"])
            return ToolOutcome.failure(error.description)
        } catch let error as EnsembleError {
            logger.debug("Tool call refused", metadata: [LogKey.toolName: "\(name)", LogKey.error: "\(error)"])
            return ToolOutcome.failure(error.description)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let incident = InternalFailure()
            logger.error(
                "Tool call failed",
                metadata: [LogKey.toolName: "\(name)", LogKey.error: "\(error)", LogKey.incident: "\(incident.id)"]
            )
            return ToolOutcome.failure(incident.sentence(for: name))
        }
    }
}
