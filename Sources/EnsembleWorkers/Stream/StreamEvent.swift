package import EnsembleCore

/// What one line of Claude Code's `stream-json` output tells the supervisor.
package enum StreamEvent: Equatable, Sendable {
    /// The `system/init` line: the session and the state of each MCP server.
    case initialized(sessionID: String?, mcpServers: [String: String])
    /// The model called a tool (an `assistant` message with a `tool_use` block).
    case toolUse(name: String)
    /// The final `result` line.
    case result(RunSummary)
    /// Anything else: text, tool results, retries.
    case other
}
