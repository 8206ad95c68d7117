package import MCP

extension HTTPRequest {
    /// This request with every header name in lower case.
    ///
    /// Hummingbird's names already are (`MCPController`), so this is a check that copies
    /// nothing; after it, `field(_:)` finds
    /// a header with one look-up, where swift-sdk's `header(_:)` lowercases every name it holds.
    package var withLowercasedFieldNames: HTTPRequest {
        let isLowercased = headers.keys.allSatisfy { name in
            !name.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        }
        guard !isLowercased else { return self }
        var lowercased: [String: String] = [:]
        for (name, value) in headers {
            let name = name.lowercased()
            lowercased[name] = lowercased[name].map { "\($0), \(value)" } ?? value
        }
        return HTTPRequest(method: method, headers: lowercased, body: body, path: path)
    }

    /// The header `name` (in lower case) of a request whose names are in lower case
    /// (`withLowercasedFieldNames`).
    package func field(_ name: HTTPFieldName) -> String? {
        headers[name.rawValue]
    }
}

/// The header names this server reads, in lower case.
package enum HTTPFieldName: String {
    case accept
    case authorization
    case contentType = "content-type"
    case lastEventID = "last-event-id"
    case protocolVersion = "mcp-protocol-version"
    case sessionID = "mcp-session-id"
}

extension StringProtocol {
    /// This text without the spaces and tabs around it, as HTTP trims a header's value: without
    /// Foundation's `trimmingCharacters`, which builds a new `NSString` on every call.
    package var trimmingSpacesAndTabs: SubSequence {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
