/// The HTTP/1.1 framing rules a request head must obey before anything reads it (RFC 9112 §3.2).
///
/// Checked on the raw head, because the conversion to `HTTPTypes` keeps only the first `Host` and
/// only the path of an absolute-form target: a second `Host`, or a target such as
/// `http://other.example/mcp`, would otherwise pass unseen behind a loopback `Host`.
package enum RequestHeadRules {
    /// Why the head is refused with 400, or `nil` when it may proceed.
    /// - Parameters:
    ///   - method: The request method, as sent.
    ///   - target: The request target, as sent (`/mcp`, `http://host/mcp`, `*`).
    ///   - hosts: Every `Host` header value, in order.
    ///   - requiresHost: Whether the protocol version demands a `Host` (HTTP/1.1 does; 1.0 does not).
    /// - Returns: The sentence for the 400 answer, or `nil`.
    package static func refusal(method: String, target: String, hosts: [String], requiresHost: Bool = true)
        -> String?
    {
        guard hosts.count <= 1 else {
            return "The request has \(hosts.count) Host headers: send exactly one."
        }
        guard !hosts.isEmpty || !requiresHost else {
            return "The request has no Host header, which HTTP/1.1 requires: send one such as Host: 127.0.0.1."
        }
        if target.hasPrefix("/") { return nil }
        if target == "*" {
            return method == "OPTIONS" ? nil : "The request target '*' is only allowed for OPTIONS."
        }
        guard let authority = absoluteFormAuthority(of: target) else {
            return "The request target must be a path such as /mcp."
        }
        guard let host = hosts.first, host.lowercased() == authority.lowercased() else {
            return "The request target names '\(authority)', which is not the Host header's "
                + "'\(hosts.first ?? "")': send a path such as /mcp."
        }
        return nil
    }

    /// The authority of an `http://authority/path` target, or `nil` for any other shape.
    private static func absoluteFormAuthority(of target: String) -> String? {
        let lowered = target.lowercased()
        guard let scheme = ["http://", "https://"].first(where: lowered.hasPrefix) else { return nil }
        let rest = target.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        return String(authority)
    }
}
