/// The metadata keys of our log lines, declared once so every line spells them alike.
package enum LogKey {
    package static let httpHost = "http.host"
    package static let httpPort = "http.port"
    package static let httpMethod = "http.method"
    package static let httpStatus = "http.status"
    package static let mcpSession = "mcp.session"
    package static let mcpClient = "mcp.client"
    package static let sessionCount = "mcp.session_count"
    package static let toolName = "tool.name"
    package static let storePath = "store.path"
    package static let workerID = "worker.id"
    package static let ticketID = "ticket.id"
    package static let processPID = "process.pid"
    package static let exitStatus = "process.exit_status"
    package static let error = "error"
    /// The reference a caller is shown instead of an internal error's text.
    package static let incident = "incident"
}
