import EnsembleCore
package import Foundation
package import MCP

/// Writes MCP `Value`s as compact JSON text, with object members sorted by the UTF-8 bytes of
/// their names, so the same value always gives the same text.
///
/// It writes what `ToolResultEncoder`'s `JSONEncoder` writes for tool results (no escaped
/// slashes, non-ASCII characters as themselves); `JSONTextEncoder` writes its leaves with it.
package struct JSONValueWriter {
    /// The text written so far.
    package private(set) var bytes: [UInt8] = []

    package init(reservingCapacity capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// `value` as JSON text.
    package static func string(_ value: Value) -> String {
        var writer = JSONValueWriter()
        writer.write(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Appends `value`.
    package mutating func write(_ value: Value) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .int(let number): writeInteger(number)
        case .double(let number): writeDouble(number)
        case .string(let text): writeString(text)
        case .data(let mimeType, let data):
            writeString("data:\(mimeType ?? "text/plain");base64,\(data.base64EncodedString())")
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (offset, item) in items.enumerated() {
                if offset > 0 { bytes.append(UInt8(ascii: ",")) }
                write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (offset, member) in sorted.enumerated() {
                if offset > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(member.key)
                bytes.append(UInt8(ascii: ":"))
                write(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends text that is already JSON (a document written earlier), unchanged.
    package mutating func writeRaw(_ json: [UInt8]) {
        bytes.append(contentsOf: json)
    }

    /// Appends part of a text that is already JSON, unchanged.
    package mutating func writeRaw(_ json: ArraySlice<UInt8>) {
        bytes.append(contentsOf: json)
    }

    /// Appends text that is already JSON, unchanged.
    package mutating func writeRaw(_ json: Data) {
        bytes.append(contentsOf: json)
    }

    /// Appends a fixed piece of JSON, unchanged.
    package mutating func writeRaw(_ json: StaticString) {
        append(json)
    }

    /// Appends `text` as a JSON string.
    package mutating func writeString(_ text: String) {
        var text = text
        text.withUTF8 { appendQuoted($0) }
    }

    /// Appends `text` as a JSON string; `text` is UTF-8 already (the bytes of a document).
    package mutating func writeString(utf8 text: [UInt8]) {
        text.withUnsafeBufferPointer { appendQuoted($0) }
    }

    /// Appends `number` in decimal digits.
    package mutating func writeInteger(_ number: some BinaryInteger) {
        if number < 0 {
            bytes.append(UInt8(ascii: "-"))
        }
        var magnitude = UInt64(number.magnitude)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// Appends `number`: integral doubles as integers (`2`, not `2.0`), others in Swift's
    /// shortest round-trip form, and `null` for what JSON cannot hold (infinities, NaN).
    package mutating func writeDouble(_ number: Double) {
        guard number.isFinite else {
            append("null")
            return
        }
        if number.rounded() == number, abs(number) < 1e15 {
            writeInteger(Int(number))
        } else {
            appendText(number.description)
        }
    }

    // MARK: - Private helpers

    private mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        JSONQuoting.append(quoted: utf8, to: &bytes)
    }

    private mutating func append(_ literal: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private mutating func appendText(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }
}
