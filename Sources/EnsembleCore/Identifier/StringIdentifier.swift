/// A typed identifier backed by a validated string, so signatures never take a bare `String`.
///
/// Conforming types decide what a valid value looks like; `init(validating:)` is the one door
/// through which outside input (tool arguments, CLI flags) becomes an identifier.
package protocol StringIdentifier: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// What the identifier names, for error messages ("project", "worker type").
    static var kind: String { get }

    /// The validated text of the identifier.
    var rawValue: String { get }

    /// Creates an identifier without validating it; only for values read back from our own store.
    init(uncheckedRawValue: String)

    /// Whether `raw` is an acceptable value for this identifier.
    static func isValid(_ raw: String) -> Bool

    /// The longest acceptable value, in characters, as error messages state it.
    static var maximumLength: Int { get }
}

extension StringIdentifier {
    /// Creates an identifier from outside input.
    /// - Throws: `EnsembleError.invalidIdentifier` when `raw` does not match the identifier rules.
    package init(validating raw: String) throws(EnsembleError) {
        guard Self.isValid(raw) else {
            throw .invalidIdentifier(kind: Self.kind, value: raw, maximumLength: Self.maximumLength)
        }
        self.init(uncheckedRawValue: raw)
    }

    package static func isValid(_ raw: String) -> Bool {
        IdentifierRules.isPlainIdentifier(raw)
    }

    package static var maximumLength: Int { IdentifierRules.maximumLength }

    package var description: String { rawValue }

    package static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(uncheckedRawValue: try container.decode(String.self))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
