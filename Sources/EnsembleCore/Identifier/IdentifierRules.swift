/// The character rules every identifier obeys before it may touch a file path, SQL or an argv.
///
/// A plain identifier matches `^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$`: it cannot start with `-` (so it
/// is never taken for a flag), cannot contain `/` (so it never escapes a directory), and cannot be
/// `.` or `..`.
package enum IdentifierRules {
    /// The longest identifier, in characters.
    package static let maximumLength = 128

    /// Whether `raw` is a plain identifier.
    package static func isPlainIdentifier(_ raw: String) -> Bool {
        let scalars = Array(raw.unicodeScalars)
        guard let first = scalars.first, scalars.count <= maximumLength, isAlphanumeric(first) else {
            return false
        }
        return scalars.allSatisfy { isAlphanumeric($0) || $0 == "_" || $0 == "." || $0 == "-" }
    }

    /// Whether `raw` is a repository name: a plain identifier, or two joined by one `/` (`owner/repo`).
    package static func isRepositoryName(_ raw: String) -> Bool {
        let parts = raw.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, raw.count <= maximumLength * 2 + 1 else { return false }
        return parts.allSatisfy { isPlainIdentifier(String($0)) }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar))
    }
}
