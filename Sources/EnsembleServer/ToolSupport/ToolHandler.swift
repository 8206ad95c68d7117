/// One MCP tool: its definition and what a call does.
///
/// A handler decodes its arguments, calls the core through a port, and returns a value that the
/// registry encodes as `structuredContent` and as text. It never touches SQL or processes.
package protocol ToolHandler: Sendable {
    /// The tool's name, schema and effect.
    static var definition: ToolDefinition { get }

    /// Performs the call.
    /// - Returns: An encodable object; its JSON becomes the result's structured content.
    /// - Throws: `ToolError` or `EnsembleError` for bad input (shown to the caller as a tool error),
    ///   anything else for infrastructure failures.
    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable
}
