import EnsembleCore
import Foundation
import GRDB

/// Typed readers for the columns our rows hold, failing loudly on values we never write.
extension Row {
    /// A non-null typed identifier column.
    func identifier<ID: StringIdentifier>(_ column: String) -> ID {
        ID(uncheckedRawValue: self[column])
    }

    /// A nullable typed identifier column.
    func optionalIdentifier<ID: StringIdentifier>(_ column: String) -> ID? {
        (self[column] as String?).map(ID.init(uncheckedRawValue:))
    }

    /// A column holding the raw value of a string enum.
    func enumeration<E: RawRepresentable>(_ column: String, in table: String) throws -> E where E.RawValue == String {
        let raw: String = self[column]
        guard let value = E(rawValue: raw) else {
            throw StoreError.corruptRow(table: table, reason: "unknown \(column) '\(raw)'")
        }
        return value
    }

    /// A nullable column holding the raw value of a string enum.
    func optionalEnumeration<E: RawRepresentable>(_ column: String, in table: String) throws -> E?
    where E.RawValue == String {
        guard (self[column] as String?) != nil else { return nil }
        return try enumeration(column, in: table) as E
    }

    /// A column holding a JSON document.
    func json<T: Decodable>(_ column: String, as type: T.Type, in table: String) throws -> T {
        let text: String = self[column]
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw StoreError.corruptRow(table: table, reason: "\(column) is not the expected JSON")
        }
    }

    /// A column holding a JSON array of strings, such as an execution plan.
    ///
    /// Read on every ticket read, so the common text, strings with nothing escaped (what
    /// `jsonText` writes for names), is split where it lies; anything else goes to `JSONDecoder`.
    func stringArray(_ column: String, in table: String) throws -> [String] {
        let text: String = self[column]
        if let strings = Self.plainStrings(text) { return strings }
        return try json(column, as: [String].self, in: table)
    }

    /// The strings of `["a","b"]` when none holds a backslash or a quote, else `nil`.
    private static func plainStrings(_ text: String) -> [String]? {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]"), !bytes.contains(0x5C) else {
            return nil
        }
        let inner = bytes[1..<(bytes.count - 1)]
        guard !inner.isEmpty else { return [] }
        var strings: [String] = []
        for item in inner.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            guard item.count >= 2, item.first == UInt8(ascii: "\""), item.last == UInt8(ascii: "\""),
                !item.dropFirst().dropLast().contains(UInt8(ascii: "\""))
            else { return nil }
            strings.append(String(decoding: item.dropFirst().dropLast(), as: UTF8.self))
        }
        return strings
    }

    /// A nullable column holding a JSON document.
    func optionalJSON<T: Decodable>(_ column: String, as type: T.Type, in table: String) throws -> T? {
        guard (self[column] as String?) != nil else { return nil }
        return try json(column, as: type, in: table)
    }
}

/// A list of strings as the JSON text stored in a column (`["a","b"]`), written without
/// `JSONEncoder`: every event and every dispatch pass writes one.
func jsonText(_ strings: [String]) -> String {
    var bytes: [UInt8] = [UInt8(ascii: "[")]
    for (offset, string) in strings.enumerated() {
        if offset > 0 { bytes.append(UInt8(ascii: ",")) }
        JSONQuoting.append(quoted: string, to: &bytes)
    }
    bytes.append(UInt8(ascii: "]"))
    return String(decoding: bytes, as: UTF8.self)
}

/// A dictionary of strings as the JSON text stored in a column, keys sorted by their UTF-8
/// bytes (as `JSONEncoder`'s `.sortedKeys` sorts these names).
func jsonText(_ fields: [String: String]) -> String {
    var bytes: [UInt8] = [UInt8(ascii: "{")]
    for (offset, field) in fields.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
        if offset > 0 { bytes.append(UInt8(ascii: ",")) }
        JSONQuoting.append(quoted: field.key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        JSONQuoting.append(quoted: field.value, to: &bytes)
    }
    bytes.append(UInt8(ascii: "}"))
    return String(decoding: bytes, as: UTF8.self)
}
