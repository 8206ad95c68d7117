import Foundation

/// Encodes a value straight to compact JSON text with the conventions of tool results: what
/// `ToolResultEncoder`'s `JSONEncoder` writes (snake_case property names, ISO 8601 dates, no
/// escaped slashes), with object members sorted by the UTF-8 bytes of their names, so the same
/// value always gives the same text.
///
/// A tool result is written once and serves as both the text block and `structuredContent`.
/// Nothing in between is a `Value` or a dictionary: every leaf is escaped once into one buffer,
/// and each object keeps its members in an array, sorted only when the text is assembled.
struct JSONTextEncoder {
    /// `value` as JSON text in UTF-8.
    func encode(_ value: some Encodable) throws -> [UInt8] {
        if let writable = value as? any JSONTextWritable {
            // A value that writes itself (a ticket's details) goes straight into the output.
            var writer = JSONValueWriter(reservingCapacity: 4096)
            writable.writeJSON(into: &writer)
            return writer.bytes
        }
        let document = JSONDocument()
        let root = JSONNode()
        try encodeJSON(value, into: root, document: document, codingPath: [])
        var writer = JSONValueWriter(reservingCapacity: document.leaves.bytes.count + 256)
        root.write(into: &writer, leaves: document.leaves.bytes)
        return writer.bytes
    }
}

/// The leaves of one document, escaped once, in the order they were encoded.
private final class JSONDocument {
    var leaves = JSONValueWriter(reservingCapacity: 2048)

    /// Writes a leaf with `body`; returns where it lies in `leaves`.
    func leaf(_ body: (inout JSONValueWriter) -> Void) -> JSONSlot {
        let start = leaves.bytes.count
        body(&leaves)
        return .leaf(start..<leaves.bytes.count)
    }
}

/// A member or item: a leaf already written, or a container still being filled.
private enum JSONSlot {
    case leaf(Range<Int>)
    case node(JSONNode)

    func write(into writer: inout JSONValueWriter, leaves: [UInt8]) {
        switch self {
        case .leaf(let range): writer.writeRaw(leaves[range])
        case .node(let node): node.write(into: &writer, leaves: leaves)
        }
    }
}

/// A value that encodes itself through a container: filled in place by the containers handed out
/// (an array grows by appending, never by copying), written when the whole value is encoded.
private final class JSONNode {
    private enum Kind {
        case empty, single, object, array
    }

    private var kind = Kind.empty
    private var single = JSONSlot.leaf(0..<0)
    private var members: [(key: String, slot: JSONSlot)] = []
    private var items: [JSONSlot] = []

    var count: Int { items.count }

    func setSingle(_ slot: JSONSlot) {
        kind = .single
        single = slot
    }

    func makeObject() {
        guard kind != .object else { return }
        kind = .object
        items = []
    }

    func makeArray() {
        guard kind != .array else { return }
        kind = .array
        members = []
    }

    func add(_ slot: JSONSlot, forKey key: String) {
        makeObject()
        members.append((key, slot))
    }

    func append(_ slot: JSONSlot) {
        makeArray()
        items.append(slot)
    }

    /// A new container in member `key`.
    func child(forKey key: String) -> JSONNode {
        let node = JSONNode()
        add(.node(node), forKey: key)
        return node
    }

    /// A new container appended as an item.
    func appendedChild() -> JSONNode {
        let node = JSONNode()
        append(.node(node))
        return node
    }

    func write(into writer: inout JSONValueWriter, leaves: [UInt8]) {
        switch kind {
        case .empty: writer.writeRaw("{}")
        case .single: single.write(into: &writer, leaves: leaves)
        case .array:
            writer.writeRaw("[")
            for (offset, item) in items.enumerated() {
                if offset > 0 { writer.writeRaw(",") }
                item.write(into: &writer, leaves: leaves)
            }
            writer.writeRaw("]")
        case .object:
            writer.writeRaw("{")
            var written: String?
            for (offset, member) in sortedMembers().enumerated() {
                // A key encoded twice keeps its last value, as JSONEncoder does.
                if member.key == written { continue }
                if offset > 0 { writer.writeRaw(",") }
                writer.writeString(member.key)
                writer.writeRaw(":")
                member.slot.write(into: &writer, leaves: leaves)
                written = member.key
            }
            writer.writeRaw("}")
        }
    }

    /// The members by the UTF-8 bytes of their names; of a name given twice, the last first.
    private func sortedMembers() -> [(key: String, slot: JSONSlot)] {
        members.enumerated()
            .sorted { left, right in
                if left.element.key == right.element.key { return left.offset > right.offset }
                return left.element.key.utf8.lexicographicallyPrecedes(right.element.key.utf8)
            }
            .map(\.element)
    }
}

private final class JSONTreeEncoder: Encoder {
    let node: JSONNode
    let document: JSONDocument
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(node: JSONNode, document: JSONDocument, codingPath: [any CodingKey]) {
        self.node = node
        self.document = document
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedJSONContainer<Key>(node: node, document: document, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedJSONContainer(node: node, document: document, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleJSONContainer(node: node, document: document, codingPath: codingPath)
    }
}

/// Encodes one `Encodable` into `node`, with the leaves this encoder writes itself (dates, URLs,
/// decimals) and dictionaries, whose keys JSONEncoder keeps as they are.
private func encodeJSON(
    _ value: some Encodable,
    into node: JSONNode,
    document: JSONDocument,
    codingPath: [any CodingKey]
) throws {
    if let slot = leaf(value, document: document) {
        node.setSingle(slot)
    } else if let dictionary = value as? [String: any Encodable] {
        node.makeObject()
        for (key, item) in dictionary {
            try encodeJSON(item, into: node.child(forKey: key), document: document, codingPath: codingPath)
        }
    } else {
        try value.encode(to: JSONTreeEncoder(node: node, document: document, codingPath: codingPath))
    }
}

/// Where `value` goes in its container: a leaf written at once, or a node it fills.
private func slot(
    of value: some Encodable,
    document: JSONDocument,
    codingPath: [any CodingKey]
) throws -> JSONSlot {
    if let slot = leaf(value, document: document) { return slot }
    let node = JSONNode()
    try encodeJSON(value, into: node, document: document, codingPath: codingPath)
    return .node(node)
}

/// `value` written as a leaf, `nil` for any other value: the fast path for the values that come
/// most often (strings, numbers, dates, the types that write themselves) and need no container.
private func leaf(_ value: some Encodable, document: JSONDocument) -> JSONSlot? {
    switch value {
    case let text as String: document.leaf { $0.writeString(text) }
    case let number as Int: document.leaf { $0.writeInteger(number) }
    case let number as Int64: document.leaf { $0.writeInteger(number) }
    case let flag as Bool: document.leaf { $0.writeRaw(flag ? "true" : "false") }
    case let number as Double: document.leaf { $0.writeDouble(number) }
    case let date as Date: document.leaf { $0.writeString(ISO8601Text.string(from: date)) }
    case let url as URL: document.leaf { $0.writeString(url.absoluteString) }
    case let decimal as Decimal: document.leaf { $0.writeDouble(NSDecimalNumber(decimal: decimal).doubleValue) }
    case let writable as any JSONTextWritable: document.leaf { writable.writeJSON(into: &$0) }
    default: nil
    }
}

private struct KeyedJSONContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    let document: JSONDocument
    let codingPath: [any CodingKey]

    private func add(_ key: Key, _ body: (inout JSONValueWriter) -> Void) {
        node.add(document.leaf(body), forKey: SnakeCase.converted(key.stringValue))
    }

    mutating func encodeNil(forKey key: Key) throws { add(key) { $0.writeRaw("null") } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { add(key) { $0.writeRaw(value ? "true" : "false") } }
    mutating func encode(_ value: String, forKey key: Key) throws { add(key) { $0.writeString(value) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { add(key) { $0.writeDouble(value) } }
    mutating func encode(_ value: Float, forKey key: Key) throws { add(key) { $0.writeDouble(Double(value)) } }
    mutating func encode(_ value: Int, forKey key: Key) throws { add(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int8, forKey key: Key) throws { add(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int16, forKey key: Key) throws { add(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int32, forKey key: Key) throws { add(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int64, forKey key: Key) throws { add(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt, forKey key: Key) throws { add(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { add(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { add(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { add(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { add(key) { $0.writeInteger(value) } }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        let slot = try slot(of: value, document: document, codingPath: codingPath + [key])
        node.add(slot, forKey: SnakeCase.converted(key.stringValue))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = node.child(forKey: SnakeCase.converted(key.stringValue))
        child.makeObject()
        return KeyedEncodingContainer(
            KeyedJSONContainer<NestedKey>(node: child, document: document, codingPath: codingPath + [key])
        )
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.child(forKey: SnakeCase.converted(key.stringValue))
        child.makeArray()
        return UnkeyedJSONContainer(node: child, document: document, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        JSONTreeEncoder(node: node.child(forKey: "super"), document: document, codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = node.child(forKey: SnakeCase.converted(key.stringValue))
        return JSONTreeEncoder(node: child, document: document, codingPath: codingPath + [key])
    }
}

private struct UnkeyedJSONContainer: UnkeyedEncodingContainer, JSONLeafContainer {
    let node: JSONNode
    let document: JSONDocument
    let codingPath: [any CodingKey]

    var count: Int { node.count }

    func writeLeaf(_ body: (inout JSONValueWriter) -> Void) { node.append(document.leaf(body)) }

    mutating func encode(_ value: some Encodable) throws {
        node.append(try slot(of: value, document: document, codingPath: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = node.appendedChild()
        child.makeObject()
        return KeyedEncodingContainer(
            KeyedJSONContainer<NestedKey>(node: child, document: document, codingPath: codingPath)
        )
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = node.appendedChild()
        child.makeArray()
        return UnkeyedJSONContainer(node: child, document: document, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        JSONTreeEncoder(node: node.appendedChild(), document: document, codingPath: codingPath)
    }
}

private struct SingleJSONContainer: SingleValueEncodingContainer, JSONLeafContainer {
    let node: JSONNode
    let document: JSONDocument
    let codingPath: [any CodingKey]

    func writeLeaf(_ body: (inout JSONValueWriter) -> Void) { node.setSingle(document.leaf(body)) }

    mutating func encode(_ value: some Encodable) throws {
        try encodeJSON(value, into: node, document: document, codingPath: codingPath)
    }
}

/// The primitive `encode` methods of the unkeyed and single-value containers, which differ only
/// in where a leaf goes.
private protocol JSONLeafContainer {
    /// Writes one leaf with `body` where this container puts its values.
    func writeLeaf(_ body: (inout JSONValueWriter) -> Void)
}

extension JSONLeafContainer {
    mutating func encodeNil() throws { writeLeaf { $0.writeRaw("null") } }
    mutating func encode(_ value: Bool) throws { writeLeaf { $0.writeRaw(value ? "true" : "false") } }
    mutating func encode(_ value: String) throws { writeLeaf { $0.writeString(value) } }
    mutating func encode(_ value: Double) throws { writeLeaf { $0.writeDouble(value) } }
    mutating func encode(_ value: Float) throws { writeLeaf { $0.writeDouble(Double(value)) } }
    mutating func encode(_ value: Int) throws { writeLeaf { $0.writeInteger(value) } }
    mutating func encode(_ value: Int8) throws { writeLeaf { $0.writeInteger(value) } }
    mutating func encode(_ value: Int16) throws { writeLeaf { $0.writeInteger(value) } }
    mutating func encode(_ value: Int32) throws { writeLeaf { $0.writeInteger(value) } }
    mutating func encode(_ value: Int64) throws { writeLeaf { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt) throws { writeLeaf { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt8) throws { writeLeaf { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt16) throws { writeLeaf { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt32) throws { writeLeaf { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt64) throws { writeLeaf { $0.writeInteger(value) } }
}
