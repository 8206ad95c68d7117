package import EnsembleCore
import Foundation
package import MCP

/// A tool call's arguments, checked against the tool's parameters and normalised.
///
/// Validation rejects unknown and missing arguments and wrong types. It forgives the ways models
/// commonly stray from a schema without changing meaning: numbers and booleans sent as strings,
/// lists sent as JSON text, enum values in another letter case. `null` counts as absent.
package struct ToolArguments: Sendable {
    private let values: [String: Value]

    /// Validates `raw` against `definition`.
    /// - Throws: `ToolError` describing the first problem found.
    package init(validating raw: [String: Value]?, for definition: ToolDefinition) throws(ToolError) {
        values = try Self.normalize(raw ?? [:], fields: definition.parameters, of: definition.name)
    }

    private init(normalized values: [String: Value]) {
        self.values = values
    }

    /// `raw` with exactly `fields`, each normalised; `owner` names them in errors (a tool, or an
    /// item of a list argument).
    private static func normalize(
        _ raw: [String: Value],
        fields: [ToolParameter],
        of owner: String,
        namingErrorsAfter item: String? = nil
    ) throws(ToolError) -> [String: Value] {
        let raw = raw.filter { !$0.value.isNull }
        let known = Set(fields.map(\.name))
        if let unknown = raw.keys.sorted().first(where: { !known.contains($0) }) {
            throw .unknownArgument(tool: owner, name: unknown, allowed: fields.map(\.name))
        }
        var values: [String: Value] = [:]
        for parameter in fields {
            guard let value = raw[parameter.name] else {
                if parameter.isRequired { throw .missingArgument(tool: owner, name: parameter.name) }
                continue
            }
            do {
                values[parameter.name] = try normalize(value, for: parameter)
            } catch {
                guard let item else { throw error }
                throw .badText("In \(item): \(error)")
            }
        }
        return values
    }

    // MARK: - Typed access

    /// A string argument, `nil` when absent.
    package func string(_ name: String) -> String? {
        values[name]?.stringValue
    }

    /// An integer argument, `nil` when absent.
    package func integer(_ name: String) -> Int? {
        values[name]?.intValue
    }

    /// A boolean argument, `nil` when absent.
    package func boolean(_ name: String) -> Bool? {
        values[name]?.boolValue
    }

    /// A list-of-strings argument, `nil` when absent.
    package func strings(_ name: String) -> [String]? {
        values[name]?.arrayValue?.compactMap(\.stringValue)
    }

    /// A list-of-integers argument, `nil` when absent.
    package func integers(_ name: String) -> [Int]? {
        values[name]?.arrayValue?.compactMap(\.intValue)
    }

    /// A list-of-objects argument, each item checked against its fields; `nil` when absent.
    package func objects(_ name: String) -> [ToolArguments]? {
        values[name]?.arrayValue?.compactMap { $0.objectValue.map(ToolArguments.init(normalized:)) }
    }

    /// A typed identifier, `nil` when absent.
    /// - Throws: `EnsembleError.invalidIdentifier` when the text breaks the identifier rules.
    package func identifier<ID: StringIdentifier>(_ name: String, as type: ID.Type = ID.self) throws(EnsembleError)
        -> ID?
    {
        guard let raw = string(name) else { return nil }
        return try ID(validating: raw)
    }

    /// A required typed identifier; the schema has already guaranteed presence.
    package func requiredIdentifier<ID: StringIdentifier>(_ name: String, as type: ID.Type = ID.self)
        throws(EnsembleError) -> ID
    {
        try ID(validating: string(name) ?? "")
    }

    /// A list of event types, `nil` when absent.
    /// - Throws: `ToolError.notOneOf` naming the first unknown type.
    package func eventTypes(_ name: String) throws(ToolError) -> [EventType]? {
        try strings(name)?.map { raw throws(ToolError) in
            guard let type = EventType(rawValue: raw) else {
                throw .notOneOf(name: name, value: raw, allowed: EventType.allCases.map(\.rawValue))
            }
            return type
        }
    }

    /// A value of a string enum, `nil` when absent.
    package func enumeration<E: RawRepresentable>(_ name: String, as type: E.Type = E.self) -> E?
    where E.RawValue == String {
        string(name).flatMap(E.init(rawValue:))
    }

    // MARK: - Normalisation

    private static func normalize(_ value: Value, for parameter: ToolParameter) throws(ToolError) -> Value {
        let name = parameter.name
        switch parameter.kind {
        case .string, .text:
            guard let text = value.stringValue else { throw .wrongType(name: name, expected: "a string") }
            if parameter.isRequired, text.allSatisfy(\.isWhitespace) { throw .emptyString(name: name) }
            let limit = if case .text(let limit) = parameter.kind { limit } else { TextLimit.line }
            if let violation = limit.violation(of: text, field: "Argument '\(name)'") { throw .badText(violation) }
            return value
        case .integer(let minimum, let maximum):
            guard let number = integer(from: value) else { throw .wrongType(name: name, expected: "an integer") }
            if let minimum, number < minimum {
                throw .outOfRange(name: name, value: number, minimum: minimum, maximum: maximum)
            }
            if let maximum, number > maximum {
                throw .outOfRange(name: name, value: number, minimum: minimum, maximum: maximum)
            }
            return .int(number)
        case .boolean:
            if let flag = value.boolValue { return .bool(flag) }
            switch value.stringValue?.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw .wrongType(name: name, expected: "true or false")
            }
        case .stringList:
            guard let items = list(from: value), let strings = items.map(\.stringValue) as? [String] else {
                throw .wrongType(name: name, expected: "a list of strings")
            }
            try checkCount(strings.count, limit: ToolParameter.maximumListLength, name: name)
            for (index, item) in strings.enumerated() {
                if let violation = TextLimit.line.violation(of: item, field: "Item \(index) of '\(name)'") {
                    throw .badText(violation)
                }
            }
            return .array(strings.map(Value.string))
        case .integerList:
            guard let items = list(from: value), let numbers = items.map(integer(from:)) as? [Int] else {
                throw .wrongType(name: name, expected: "a list of integers")
            }
            try checkCount(numbers.count, limit: ToolParameter.maximumIntegerListLength, name: name)
            return .array(numbers.map(Value.int))
        case .oneOf(let choices):
            guard let text = value.stringValue else { throw .wrongType(name: name, expected: "a string") }
            guard let choice = choices.first(where: { $0.caseInsensitiveCompare(text) == .orderedSame }) else {
                throw .notOneOf(name: name, value: text, allowed: choices)
            }
            return .string(choice)
        case .objectList(let fields, let maximumCount):
            guard let items = list(from: value), let objects = items.map(\.objectValue) as? [[String: Value]] else {
                throw .wrongType(name: name, expected: "a list of objects")
            }
            try checkCount(objects.count, limit: maximumCount, name: name)
            var normalized: [Value] = []
            for (index, object) in objects.enumerated() {
                let item = "item \(index) of '\(name)'"
                normalized.append(.object(try normalize(object, fields: fields, of: item, namingErrorsAfter: item)))
            }
            return .array(normalized)
        case .integerOrString:
            if let number = integer(from: value) { return .int(number) }
            guard let text = value.stringValue, !text.isEmpty else {
                throw .wrongType(name: name, expected: "a stage index or a worker type name")
            }
            if let violation = TextLimit.line.violation(of: text, field: "Argument '\(name)'") {
                throw .badText(violation)
            }
            return value
        }
    }

    private static func checkCount(_ count: Int, limit: Int, name: String) throws(ToolError) {
        guard count <= limit else {
            throw .badText("Argument '\(name)' has \(count) items, over the limit of \(limit).")
        }
    }

    private static func integer(from value: Value) -> Int? {
        switch value {
        case .int(let number): number
        case .double(let number) where number.rounded() == number && abs(number) < 1e15: Int(number)
        case .string(let text): Int(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// A list, or a string holding a JSON list (as models sometimes send).
    private static func list(from value: Value) -> [Value]? {
        if let items = value.arrayValue { return items }
        guard let text = value.stringValue, text.hasPrefix("[") else { return nil }
        return try? JSONDecoder().decode([Value].self, from: Data(text.utf8))
    }
}
