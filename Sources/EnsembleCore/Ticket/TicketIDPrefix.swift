/// Derives the prefix of generated ticket ids from a project's repository name.
///
/// `acme/web-shop` gives `WEBSHOP`, so its tickets read `WEBSHOP-1`, `WEBSHOP-2`, ….
package enum TicketIDPrefix {
    /// The longest prefix, in characters.
    package static let maximumLength = 10
    /// The prefix used when the repository name has no letters or digits to borrow.
    package static let fallback = "TICKET"

    /// The largest number a generated ticket id carries.
    package static let maximumNumber = 999_999_999

    /// The number of a generated id's suffix (`42` of `SHOP-42`), or `nil` when it is not one.
    package static func number(in suffix: Substring) -> Int? {
        guard !suffix.isEmpty, suffix.count <= String(maximumNumber).count, suffix.first != "0",
            suffix.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        return Int(suffix)
    }

    /// The prefix for `project`'s generated ticket ids.
    package static func prefix(for project: ProjectID) -> String {
        let name = project.rawValue.split(separator: "/").last.map(String.init) ?? project.rawValue
        let letters = name.unicodeScalars.filter {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))
        }
        let prefix = String(String.UnicodeScalarView(letters.prefix(maximumLength))).uppercased()
        return prefix.isEmpty ? fallback : prefix
    }
}
