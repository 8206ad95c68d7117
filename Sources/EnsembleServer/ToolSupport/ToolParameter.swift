package import EnsembleCore
package import MCP

/// One argument of a tool: its name, JSON type, description and whether it is required.
///
/// Parameters generate the tool's `inputSchema` and drive argument validation, so the schema a
/// client sees and the checks the server makes can never disagree.
package struct ToolParameter: Sendable, Equatable {
    /// The JSON shape an argument takes.
    package enum Kind: Sendable, Equatable {
        /// A short single line (`TextLimit.line`): ids, names, statuses.
        case string
        /// Free text within `limit`.
        case text(TextLimit)
        case integer(minimum: Int?, maximum: Int?)
        case boolean
        case stringList
        case integerList
        /// A string from a fixed set.
        case oneOf([String])
        /// A stage: an index or a worker type name.
        case integerOrString
        /// A list of at most `maximumCount` objects, each with exactly these fields.
        case objectList([ToolParameter], maximumCount: Int)
    }

    /// The most items a list of strings may have (worker types, tool patterns, event types).
    package static let maximumListLength = 100
    /// The most items a list of integers may have: as many event ids as `get_events` returns.
    package static let maximumIntegerListLength = 1_000

    package var name: String
    package var kind: Kind
    package var description: String
    package var isRequired: Bool

    /// A required argument.
    package static func required(_ name: String, _ kind: Kind, _ description: String) -> ToolParameter {
        ToolParameter(name: name, kind: kind, description: description, isRequired: true)
    }

    /// An optional argument.
    package static func optional(_ name: String, _ kind: Kind, _ description: String) -> ToolParameter {
        ToolParameter(name: name, kind: kind, description: description, isRequired: false)
    }

    /// The JSON Schema of this argument.
    var schema: Value {
        var schema: [String: Value] = ["description": .string(description)]
        switch kind {
        case .string:
            schema["type"] = "string"
            schema["maxLength"] = .int(TextLimit.line.maximumLength)
        case .text(let limit):
            schema["type"] = "string"
            schema["maxLength"] = .int(limit.maximumLength)
        case .integer(let minimum, let maximum):
            schema["type"] = "integer"
            if let minimum { schema["minimum"] = .int(minimum) }
            if let maximum { schema["maximum"] = .int(maximum) }
        case .boolean:
            schema["type"] = "boolean"
        case .stringList:
            schema["type"] = "array"
            schema["items"] = ["type": "string", "maxLength": .int(TextLimit.line.maximumLength)]
            schema["maxItems"] = .int(Self.maximumListLength)
        case .integerList:
            schema["type"] = "array"
            schema["items"] = ["type": "integer"]
            schema["maxItems"] = .int(Self.maximumIntegerListLength)
        case .oneOf(let choices):
            schema["type"] = "string"
            schema["enum"] = .array(choices.map(Value.string))
        case .integerOrString:
            schema["type"] = ["integer", "string"]
            schema["maxLength"] = .int(TextLimit.line.maximumLength)
        case .objectList(let fields, let maximumCount):
            schema["type"] = "array"
            schema["maxItems"] = .int(maximumCount)
            schema["items"] = Self.objectSchema(of: fields)
        }
        return .object(schema)
    }

    /// The JSON Schema of an object with exactly `fields`: a tool's input, or an item of a list.
    static func objectSchema(of fields: [ToolParameter]) -> Value {
        .object([
            "type": "object",
            "properties": .object(Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.schema) })),
            "required": .array(fields.filter(\.isRequired).map { .string($0.name) }),
            "additionalProperties": false,
        ])
    }
}
