import Foundation

/// Where the next page of a list starts: the sort key and id of the last item of the page
/// before, opaque to clients (`next_cursor` in, `cursor` out).
///
/// A position, not an offset: items added or closed meanwhile never make a page skip or repeat
/// one, and reading the next page costs the same however long the list is (the store seeks to
/// the position through an index).
package struct PageCursor: Equatable, Sendable {
    /// The sort key of the last item shown, as the store keeps it.
    package let key: String
    /// The id of the last item shown: the tie-breaker between equal keys.
    package let id: String

    package init(key: String, id: String) {
        self.key = key
        self.id = id
    }

    /// The cursor a client got as `next_cursor`.
    /// - Throws: `EnsembleError.invalidArgument` for text this server did not write.
    package init(text: String) throws(EnsembleError) {
        let refusal = EnsembleError.invalidArgument(
            "cursor is not one this server gave: pass next_cursor from the previous page, or omit it to start over."
        )
        guard text.hasPrefix(Self.prefix) else { throw refusal }
        var encoded = text.dropFirst(Self.prefix.count).replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        encoded += String(repeating: "=", count: (4 - encoded.count % 4) % 4)
        guard let data = Data(base64Encoded: encoded), let decoded = String(data: data, encoding: .utf8) else {
            throw refusal
        }
        let parts = decoded.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else { throw refusal }
        self.init(key: String(parts[0]), id: String(parts[1]))
    }

    /// The text handed to clients: URL-safe, one token.
    package var text: String {
        let encoded = Data("\(key)\n\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return Self.prefix + encoded
    }

    private static let prefix = "c1."
}

/// How much of a list one call reads.
package struct PageRequest: Equatable, Sendable {
    /// The allowed range of `limit`.
    package static let limitRange = 1...200
    /// The page size when none is given.
    package static let defaultLimit = 50

    package var after: PageCursor?
    package var limit: Int

    /// A request for `limit` items after `after` (the first page when `nil`).
    /// - Throws: `EnsembleError.invalidArgument` when `limit` is out of range.
    package init(after: PageCursor? = nil, limit: Int = defaultLimit) throws(EnsembleError) {
        guard Self.limitRange.contains(limit) else {
            throw .invalidArgument(
                "limit must be between \(Self.limitRange.lowerBound) and \(Self.limitRange.upperBound)."
            )
        }
        self.after = after
        self.limit = limit
    }
}

/// One page of a list, in list order, and the cursor of the next page (`nil` on the last).
package struct Page<Item: Sendable>: Sendable {
    package var items: [Item]
    package var next: PageCursor?

    package init(items: [Item], next: PageCursor?) {
        self.items = items
        self.next = next
    }
}
