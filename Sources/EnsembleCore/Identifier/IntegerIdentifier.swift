/// A typed identifier backed by a store-assigned integer, encoded as a plain JSON number.
package protocol IntegerIdentifier: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The integer the store assigned.
    var rawValue: Int64 { get }

    /// Wraps a store-assigned integer.
    init(_ rawValue: Int64)
}

extension IntegerIdentifier {
    package var description: String { String(rawValue) }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    package init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(Int64.self))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
