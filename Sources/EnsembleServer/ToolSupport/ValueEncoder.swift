import Foundation
import MCP

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

    /// `key` in snake_case, exactly as `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` writes it.
    static func snakeCased(_ key: String) -> String {
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

/// A mutable node of the tree being built: containers hand out references to their children.
private final class ValueBox {
    enum Content {
        case leaf(Value)
        case object([String: ValueBox])
        case array([ValueBox])
    }

    var content: Content = .leaf(.null)

    var value: Value {
        switch content {
        case .leaf(let value): value
        case .object(let children): .object(children.mapValues(\.value))
        case .array(let items): .array(items.map(\.value))
        }
    }

    func child(forKey key: String) -> ValueBox {
        if case .object(var children) = content {
            if let existing = children[key] { return existing }
            let box = ValueBox()
            children[key] = box
            content = .object(children)
            return box
        }
        let box = ValueBox()
        content = .object([key: box])
        return box
    }

    func appended() -> ValueBox {
        let box = ValueBox()
        if case .array(let items) = content {
            content = .array(items + [box])
        } else {
            content = .array([box])
        }
        return box
    }

    func makeObject() {
        if case .object = content { return }
        content = .object([:])
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
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
    case let date as Date: box.content = .leaf(.string(ValueEncoder.iso8601(date)))
    case let url as URL: box.content = .leaf(.string(url.absoluteString))
    case let decimal as Decimal: box.content = .leaf(.double(NSDecimalNumber(decimal: decimal).doubleValue))
    default: try value.encode(to: ValueTreeEncoder(storage: box, codingPath: codingPath))
    }
}

private struct KeyedValueContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ValueBox
    let codingPath: [any CodingKey]

    private func leaf(_ value: Value, _ key: Key) {
        box.child(forKey: ValueEncoder.snakeCased(key.stringValue)).content = .leaf(value)
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

    var count: Int {
        if case .array(let items) = box.content { return items.count }
        return 0
    }

    private func leaf(_ value: Value) { box.appended().content = .leaf(value) }

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

    mutating func encodeNil() throws { box.content = .leaf(.null) }
    mutating func encode(_ value: Bool) throws { box.content = .leaf(.bool(value)) }
    mutating func encode(_ value: String) throws { box.content = .leaf(.string(value)) }
    mutating func encode(_ value: Double) throws { box.content = .leaf(.double(value)) }
    mutating func encode(_ value: Float) throws { box.content = .leaf(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { box.content = .leaf(.int(value)) }
    mutating func encode(_ value: Int8) throws { box.content = .leaf(.int(Int(value))) }
    mutating func encode(_ value: Int16) throws { box.content = .leaf(.int(Int(value))) }
    mutating func encode(_ value: Int32) throws { box.content = .leaf(.int(Int(value))) }
    mutating func encode(_ value: Int64) throws { box.content = .leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt) throws { box.content = .leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt8) throws { box.content = .leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt16) throws { box.content = .leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt32) throws { box.content = .leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt64) throws { box.content = .leaf(.int(Int(value))) }

    mutating func encode(_ value: some Encodable) throws {
        try encodeValue(value, into: box, codingPath: codingPath)
    }
}
