import Foundation
import MCP
import Synchronization

/// Encodes a value straight into an MCP `Value`, with the conventions of `ToolResultEncoder`'s
/// JSON encoder (snake_case keys, ISO 8601 dates), so a tool result's `structuredContent` is built
/// without writing JSON text and parsing it back.
///
/// Parsing back was most of a call's cost: swift-sdk's `Value` decoder tests every string it
/// meets against a data-URL regular expression it builds anew each time.
struct ValueEncoder {
    /// `value` as a `Value`.
    func encode(_ value: some Encodable) throws -> Value {
        let root = ValueBox()
        try encodeValue(value, into: root, codingPath: [])
        return root.value
    }

    /// Property names already converted: a bounded set (the coding keys of our types), so the
    /// conversion runs once per name, not once per value written.
    private static let snakeCasedNames = Mutex<[String: String]>([:])

    /// `key` in snake_case, exactly as `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` writes it.
    static func snakeCased(_ key: String) -> String {
        if !key.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") || $0 >= 0x80 }) {
            return key
        }
        if let known = snakeCasedNames.withLock({ $0[key] }) { return known }
        let converted = convertedToSnakeCase(key)
        snakeCasedNames.withLock { names in
            if names.count < 4096 { names[key] = converted }
        }
        return converted
    }

    private static func convertedToSnakeCase(_ key: String) -> String {
        guard !key.isEmpty else { return key }
        var words: [Range<String.Index>] = []
        var wordStart = key.startIndex
        var searchRange = key.index(after: wordStart)..<key.endIndex
        while let upper = key.rangeOfCharacter(from: .uppercaseLetters, options: [], range: searchRange) {
            words.append(wordStart..<upper.lowerBound)
            searchRange = upper.lowerBound..<searchRange.upperBound
            guard let lower = key.rangeOfCharacter(from: .lowercaseLetters, options: [], range: searchRange) else {
                wordStart = searchRange.lowerBound
                break
            }
            if lower.lowerBound == key.index(after: upper.lowerBound) {
                wordStart = upper.lowerBound
            } else {
                let beforeLower = key.index(before: lower.lowerBound)
                words.append(upper.lowerBound..<beforeLower)
                wordStart = beforeLower
            }
            searchRange = lower.upperBound..<searchRange.upperBound
        }
        words.append(wordStart..<searchRange.upperBound)
        return words.map { key[$0].lowercased() }.joined(separator: "_")
    }

    /// A date as `JSONEncoder.DateEncodingStrategy.iso8601` writes it.
    static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

/// A mutable node of the tree being built: containers hand out references to their children,
/// which are added in place (an array grows by appending, never by copying).
private final class ValueBox {
    private enum Kind {
        case leaf, object, array
    }

    private var kind = Kind.leaf
    private var leaf = Value.null
    private var members: [String: ValueBox] = [:]
    private var items: [ValueBox] = []

    var value: Value {
        switch kind {
        case .leaf: leaf
        case .object: .object(members.mapValues(\.value))
        case .array: .array(items.map(\.value))
        }
    }

    var count: Int { items.count }

    func setLeaf(_ value: Value) {
        kind = .leaf
        leaf = value
        members = [:]
        items = []
    }

    func child(forKey key: String) -> ValueBox {
        makeObject()
        if let existing = members[key] { return existing }
        let box = ValueBox()
        members[key] = box
        return box
    }

    func appended() -> ValueBox {
        makeArray()
        let box = ValueBox()
        items.append(box)
        return box
    }

    func makeObject() {
        guard kind != .object else { return }
        kind = .object
        items = []
    }

    func makeArray() {
        guard kind != .array else { return }
        kind = .array
        members = [:]
    }
}

private final class ValueTreeEncoder: Encoder {
    let storage: ValueBox
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(storage: ValueBox = ValueBox(), codingPath: [any CodingKey] = []) {
        self.storage = storage
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        storage.makeObject()
        return KeyedEncodingContainer(KeyedValueContainer<Key>(box: storage, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        storage.makeArray()
        return UnkeyedValueContainer(box: storage, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(box: storage, codingPath: codingPath)
    }
}

/// Encodes one `Encodable` into `box`, with the leaves this encoder writes itself (dates, URLs).
private func encodeValue(_ value: some Encodable, into box: ValueBox, codingPath: [any CodingKey]) throws {
    switch value {
    case let dictionary as [String: any Encodable]:
        // JSONEncoder keeps a dictionary's keys as they are; only property names become snake_case.
        box.makeObject()
        for (key, item) in dictionary {
            try encodeValue(item, into: box.child(forKey: key), codingPath: codingPath)
        }
    case let date as Date: box.setLeaf(.string(ValueEncoder.iso8601(date)))
    case let url as URL: box.setLeaf(.string(url.absoluteString))
    case let decimal as Decimal: box.setLeaf(.double(NSDecimalNumber(decimal: decimal).doubleValue))
    default: try value.encode(to: ValueTreeEncoder(storage: box, codingPath: codingPath))
    }
}

private struct KeyedValueContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ValueBox
    let codingPath: [any CodingKey]

    private func leaf(_ value: Value, _ key: Key) {
        box.child(forKey: ValueEncoder.snakeCased(key.stringValue)).setLeaf(value)
    }

    mutating func encodeNil(forKey key: Key) throws { leaf(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { leaf(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { leaf(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { leaf(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { leaf(.double(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { leaf(.int(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { leaf(.int(Int(value)), key) }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        let child = box.child(forKey: ValueEncoder.snakeCased(key.stringValue))
        try encodeValue(value, into: child, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = box.child(forKey: ValueEncoder.snakeCased(key.stringValue))
        child.makeObject()
        return KeyedEncodingContainer(KeyedValueContainer<NestedKey>(box: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = box.child(forKey: ValueEncoder.snakeCased(key.stringValue))
        child.makeArray()
        return UnkeyedValueContainer(box: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        ValueTreeEncoder(storage: box.child(forKey: "super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        ValueTreeEncoder(storage: box.child(forKey: ValueEncoder.snakeCased(key.stringValue)), codingPath: codingPath)
    }
}

private struct UnkeyedValueContainer: UnkeyedEncodingContainer {
    let box: ValueBox
    let codingPath: [any CodingKey]

    var count: Int { box.count }

    private func leaf(_ value: Value) { box.appended().setLeaf(value) }

    mutating func encodeNil() throws { leaf(.null) }
    mutating func encode(_ value: Bool) throws { leaf(.bool(value)) }
    mutating func encode(_ value: String) throws { leaf(.string(value)) }
    mutating func encode(_ value: Double) throws { leaf(.double(value)) }
    mutating func encode(_ value: Float) throws { leaf(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { leaf(.int(value)) }
    mutating func encode(_ value: Int8) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: Int16) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: Int32) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: Int64) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt8) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt16) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt32) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt64) throws { leaf(.int(Int(value))) }

    mutating func encode(_ value: some Encodable) throws {
        try encodeValue(value, into: box.appended(), codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = box.appended()
        child.makeObject()
        return KeyedEncodingContainer(KeyedValueContainer<NestedKey>(box: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = box.appended()
        child.makeArray()
        return UnkeyedValueContainer(box: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        ValueTreeEncoder(storage: box.appended(), codingPath: codingPath)
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let box: ValueBox
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { box.setLeaf(.null) }
    mutating func encode(_ value: Bool) throws { box.setLeaf(.bool(value)) }
    mutating func encode(_ value: String) throws { box.setLeaf(.string(value)) }
    mutating func encode(_ value: Double) throws { box.setLeaf(.double(value)) }
    mutating func encode(_ value: Float) throws { box.setLeaf(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { box.setLeaf(.int(value)) }
    mutating func encode(_ value: Int8) throws { box.setLeaf(.int(Int(value))) }
    mutating func encode(_ value: Int16) throws { box.setLeaf(.int(Int(value))) }
    mutating func encode(_ value: Int32) throws { box.setLeaf(.int(Int(value))) }
    mutating func encode(_ value: Int64) throws { box.setLeaf(.int(Int(value))) }
    mutating func encode(_ value: UInt) throws { box.setLeaf(.int(Int(value))) }
    mutating func encode(_ value: UInt8) throws { box.setLeaf(.int(Int(value))) }
    mutating func encode(_ value: UInt16) throws { box.setLeaf(.int(Int(value))) }
    mutating func encode(_ value: UInt32) throws { box.setLeaf(.int(Int(value))) }
    mutating func encode(_ value: UInt64) throws { box.setLeaf(.int(Int(value))) }

    mutating func encode(_ value: some Encodable) throws {
        try encodeValue(value, into: box, codingPath: codingPath)
    }
}
