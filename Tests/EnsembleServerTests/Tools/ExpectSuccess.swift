import MCP
import Testing

/// The structured result of a tool call expected to succeed; records an issue (at the caller)
/// when it did not.
@discardableResult
func expectSuccess(
    _ result: CallTool.Result,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> [String: Value] {
    #expect(result.isError != true, "\(result.content)", sourceLocation: sourceLocation)
    return try #require(result.structuredContent?.objectValue, sourceLocation: sourceLocation)
}
