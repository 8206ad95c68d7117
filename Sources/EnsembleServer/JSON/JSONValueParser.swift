package import Foundation
package import MCP

/// Parses JSON text (RFC 8259) straight into MCP `Value`s.
///
/// swift-sdk's own `Value` decoding (through `JSONDecoder`) tests every string against a data-URL
/// regular expression it builds anew each time, which made decoding most of a request's cost.
/// Here a string is always `.string`: data URLs mean nothing to JSON-RPC or to our tools.
///
/// Strict where `JSONDecoder` is: one value with only whitespace around it, no trailing commas,
/// no comments, no control characters or invalid UTF-8 in strings, no lone surrogates. Nesting is
/// bounded (`maximumDepth`), so a crafted body cannot exhaust the stack. Integral numbers that fit
/// `Int` become `.int`, every other number `.double`, as `Value`'s decoder does.
package enum JSONValueParser {
    /// The deepest nesting of arrays and objects accepted.
    package static let maximumDepth = 512

    /// Why a text is not JSON, with the byte offset where parsing stopped.
    package struct Failure: Error, Equatable, CustomStringConvertible {
        package let reason: String
        package let offset: Int

        package var description: String { "\(reason) at byte \(offset)" }
    }

    /// The value `data` holds.
    /// - Throws: `Failure` when `data` is not exactly one JSON value.
    package static func parse(_ data: Data) throws -> Value {
        try data.withUnsafeBytes { raw in
            var parser = Parser(bytes: raw.bindMemory(to: UInt8.self))
            return try parser.parseDocument()
        }
    }

    /// The value `text` holds.
    package static func parse(_ text: String) throws -> Value {
        try parse(Data(text.utf8))
    }
}

private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws -> Value {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw failure("Unexpected text after the JSON value") }
        return value
    }

    // MARK: - Values

    mutating func parseValue() throws -> Value {
        guard index < bytes.count else { throw failure("Unexpected end of the text") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("Unexpected character")
        }
    }

    mutating func parseObject() throws -> Value {
        try enterContainer()
        index += 1
        var object: [String: Value] = [:]
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw failure("Expected a member name in quotes") }
            let key = try parseString()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw failure("Expected ':' after a member name") }
            index += 1
            skipWhitespace()
            object[key] = try parseValue()
            skipWhitespace()
            guard index < bytes.count else { throw failure("Unexpected end of the text in an object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return .object(object)
            } else {
                throw failure("Expected ',' or '}' in an object")
            }
        }
    }

    mutating func parseArray() throws -> Value {
        try enterContainer()
        index += 1
        var array: [Value] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            depth -= 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            array.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw failure("Unexpected end of the text in an array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .array(array)
            } else {
                throw failure("Expected ',' or ']' in an array")
            }
        }
    }

    mutating func parseLiteral(_ literal: StaticString, _ value: Value) throws -> Value {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure("Unexpected end of the text") }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] {
            throw failure("Unexpected character")
        }
        index += count
        return value
    }

    // MARK: - Numbers

    mutating func parseNumber() throws -> Value {
        let start = index
        var isInteger = true
        if peek(UInt8(ascii: "-")) { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure("Expected a digit") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw failure("A number may not start with 0") }
        } else {
            skipDigits()
        }
        if peek(UInt8(ascii: ".")) {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("Expected a digit after '.'") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("Expected a digit in an exponent") }
            skipDigits()
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let integer = Int(text) { return .int(integer) }
        guard let double = Double(text), double.isFinite else {
            index = start
            throw failure("The number is out of range")
        }
        // As `Value`'s decoder, which reads any integral number that fits as an integer (`2e3`, `1.0`).
        return Int(exactly: double).map(Value.int) ?? .double(double)
    }

    mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    // MARK: - Strings

    /// A string starting at the opening quote; the common case (no escapes) is one validated copy.
    mutating func parseString() throws -> String {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try decodeUTF8(start..<index)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
            if byte < 0x20 { throw failure("A control character must be escaped in a string") }
            index += 1
        }
        throw failure("Unterminated string")
    }

    mutating func parseEscapedString(from start: Int) throws -> String {
        var text = try decodeUTF8(start..<index)
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return text
            case UInt8(ascii: "\\"):
                index += 1
                text.unicodeScalars.append(try parseEscape())
            case ..<0x20:
                throw failure("A control character must be escaped in a string")
            default:
                let runStart = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"),
                    bytes[index] >= 0x20
                {
                    index += 1
                }
                text += try decodeUTF8(runStart..<index)
            }
        }
        throw failure("Unterminated string")
    }

    /// The character an escape stands for; `index` is just past the backslash.
    mutating func parseEscape() throws -> Unicode.Scalar {
        guard index < bytes.count else { throw failure("Unterminated string") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try parseHexUnit()
            if UTF16.isLeadSurrogate(unit) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw failure("A lone surrogate in a \\u escape") }
                index += 2
                let trail = try parseHexUnit()
                guard UTF16.isTrailSurrogate(trail) else { throw failure("A lone surrogate in a \\u escape") }
                let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(trail) - 0xDC00)
                guard let scalar = Unicode.Scalar(value) else { throw failure("An invalid \\u escape") }
                return scalar
            }
            guard let scalar = Unicode.Scalar(unit) else { throw failure("A lone surrogate in a \\u escape") }
            return scalar
        default:
            index -= 1
            throw failure("Unknown escape in a string")
        }
    }

    mutating func parseHexUnit() throws -> UInt16 {
        guard index + 4 <= bytes.count else { throw failure("Unterminated \\u escape") }
        var unit: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("Expected four hex digits in a \\u escape")
            }
            unit = unit << 4 | UInt16(digit)
            index += 1
        }
        return unit
    }

    func decodeUTF8(_ range: Range<Int>) throws -> String {
        guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) else {
            throw JSONValueParser.Failure(reason: "Invalid UTF-8 in a string", offset: range.lowerBound)
        }
        return text
    }

    // MARK: - Helpers

    mutating func enterContainer() throws {
        depth += 1
        guard depth <= JSONValueParser.maximumDepth else {
            throw failure("Nested deeper than \(JSONValueParser.maximumDepth) levels")
        }
    }

    func peek(_ byte: UInt8) -> Bool {
        index < bytes.count && bytes[index] == byte
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    func failure(_ reason: String) -> JSONValueParser.Failure {
        JSONValueParser.Failure(reason: reason, offset: index)
    }
}
