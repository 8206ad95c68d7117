import Foundation
package import MCP

/// What one tool call gave, as every tool presents it: snake_case keys, ISO 8601 dates and
/// sorted keys, both as `structuredContent` and as an identical JSON text block; or, for a
/// refusal, one sentence with `isError`.
///
/// A success is written as JSON once (`JSONTextEncoder`); that one text is both the text block
/// and, unchanged, the `structuredContent` of the JSON-RPC response. It becomes a `Value` only
/// for callers that want swift-sdk's result type (`result`).
package struct ToolOutcome: Sendable {
    /// The JSON text of a success, or the sentence of a refusal, in UTF-8.
    package let text: [UInt8]
    package let isError: Bool

    /// The successful outcome carrying `output`.
    static func success(_ output: any Encodable & Sendable) throws -> ToolOutcome {
        ToolOutcome(text: try JSONTextEncoder().encode(output), isError: false)
    }

    /// The error outcome carrying one actionable sentence.
    static func failure(_ message: String) -> ToolOutcome {
        ToolOutcome(text: Array(message.utf8), isError: true)
    }

    /// The `structuredContent`: the text of a success, `{"error": sentence}` for a refusal.
    package var structuredContent: Value {
        get throws {
            isError ? ["error": .string(String(decoding: text, as: UTF8.self))] : try JSONValueParser.parse(Data(text))
        }
    }

    /// The outcome as swift-sdk's result type.
    package var result: CallTool.Result {
        get throws {
            try CallTool.Result(
                content: [.text(text: String(decoding: text, as: UTF8.self), annotations: nil, _meta: nil)],
                structuredContent: structuredContent,
                isError: isError ? true : nil,
                _meta: nil
            )
        }
    }

    /// Appends the `CallTool` result object, as swift-sdk would encode `result`.
    func write(into writer: inout JSONValueWriter) {
        writer.writeRaw(#"{"content":[{"type":"text","text":"#)
        writer.writeString(utf8: text)
        writer.writeRaw(#"}],"structuredContent":"#)
        if isError {
            writer.writeRaw(#"{"error":"#)
            writer.writeString(utf8: text)
            writer.writeRaw(#"},"isError":true}"#)
        } else {
            writer.writeRaw(text)
            writer.writeRaw("}")
        }
    }
}

/// The JSON encoder for the plain-JSON HTTP answers and events, with the conventions of tool results.
enum ToolResultEncoder {
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
