import Foundation
import MCP

/// Encodes tool outputs the way every tool presents them: snake_case keys, ISO 8601 dates,
/// sorted keys, as both `structuredContent` and an identical JSON text block.
enum ToolResultEncoder {
    /// The successful result for `output`: the JSON text is written once, and the structured
    /// content is built directly (`ValueEncoder`), never parsed back from that text.
    static func success(_ output: any Encodable & Sendable) throws -> CallTool.Result {
        let data = try makeEncoder().encode(output)
        let structured = try ValueEncoder().encode(output)
        let text = String(decoding: data, as: UTF8.self)
        let content: [Tool.Content] = [.text(text: text, annotations: nil, _meta: nil)]
        let structuredContent: Value? = structured
        return CallTool.Result(content: content, structuredContent: structuredContent, isError: nil, _meta: nil)
    }

    /// The error result carrying one actionable sentence.
    static func failure(_ message: String) -> CallTool.Result {
        let structuredContent: Value? = ["error": .string(message)]
        return CallTool.Result(
            content: [.text(text: message, annotations: nil, _meta: nil)],
            structuredContent: structuredContent,
            isError: true,
            _meta: nil
        )
    }

    /// The JSON encoder shared by tool results and the plain-JSON HTTP answers.
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
