import EnsembleCore
import Foundation

/// A value that writes its own JSON text, member by member, instead of through `Encodable`.
///
/// The types every `get_ticket` answer is made of have it: `Encodable`'s generic walk was the
/// larger part of such a call. `JSONTextEncoder` uses it wherever such a value appears; a test checks that
/// each writes exactly what its `Encodable` form gives.
protocol JSONTextWritable {
    /// Appends this value as JSON text.
    func writeJSON(into writer: inout JSONValueWriter)
}

/// Members of an object being written, named in the order `JSONTextEncoder` sorts them (by the
/// UTF-8 bytes of their snake_case names); an optional member that is `nil` is left out, as
/// `Encodable`'s synthesized `encodeIfPresent` leaves it out.
extension JSONValueWriter {
    /// Appends `{`, the members `body` writes, and `}`.
    mutating func writeObject(_ body: (inout JSONValueWriter) -> Void) {
        writeRaw("{")
        body(&self)
        writeRaw("}")
    }

    /// Appends the name of the next member of the object being written.
    private mutating func writeName(_ name: StaticString) {
        if bytes.last != UInt8(ascii: "{") { writeRaw(",") }
        writeRaw("\"")
        writeRaw(name)
        writeRaw("\":")
    }

    mutating func member(_ name: StaticString, _ value: String) {
        writeName(name)
        writeString(value)
    }

    mutating func member(_ name: StaticString, _ value: some BinaryInteger) {
        writeName(name)
        writeInteger(value)
    }

    mutating func member(_ name: StaticString, _ value: Double) {
        writeName(name)
        writeDouble(value)
    }

    mutating func member(_ name: StaticString, _ value: Bool) {
        writeName(name)
        writeRaw(value ? "true" : "false")
    }

    mutating func member(_ name: StaticString, _ value: Date) {
        writeName(name)
        writeString(ISO8601Text.string(from: value))
    }

    mutating func member(_ name: StaticString, _ value: some StringIdentifier) {
        member(name, value.rawValue)
    }

    mutating func member(_ name: StaticString, _ value: some IntegerIdentifier) {
        member(name, value.rawValue)
    }

    mutating func member<Value: RawRepresentable<String>>(_ name: StaticString, _ value: Value)
    where Value: CaseIterable {
        member(name, value.rawValue)
    }

    mutating func member(_ name: StaticString, _ value: String?) {
        if let value { member(name, value) }
    }

    mutating func member(_ name: StaticString, _ value: Int?) {
        if let value { member(name, value) }
    }

    mutating func member(_ name: StaticString, _ value: Date?) {
        if let value { member(name, value) }
    }

    mutating func member(_ name: StaticString, _ value: (some StringIdentifier)?) {
        if let value { member(name, value.rawValue) }
    }

    mutating func member<Value: RawRepresentable<String>>(_ name: StaticString, _ value: Value?)
    where Value: CaseIterable {
        if let value { member(name, value.rawValue) }
    }

    mutating func member(_ name: StaticString, _ values: [some StringIdentifier]) {
        writeName(name)
        writeRaw("[")
        for (offset, value) in values.enumerated() {
            if offset > 0 { writeRaw(",") }
            writeString(value.rawValue)
        }
        writeRaw("]")
    }

    mutating func member(_ name: StaticString, _ values: [some JSONTextWritable]) {
        writeName(name)
        writeRaw("[")
        for (offset, value) in values.enumerated() {
            if offset > 0 { writeRaw(",") }
            value.writeJSON(into: &self)
        }
        writeRaw("]")
    }

    mutating func member(_ name: StaticString, _ value: some JSONTextWritable) {
        writeName(name)
        value.writeJSON(into: &self)
    }
}
