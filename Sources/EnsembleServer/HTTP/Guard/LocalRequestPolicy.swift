import Foundation

/// Decides whether a request may reach the server, by its `Host` and `Origin` headers.
///
/// Guards against DNS rebinding and cross-site requests from browser pages: `Host` must name a
/// loopback address (or the configured bind host) with our port, and an `Origin`, when present,
/// must be such an address too. A request without `Host` (HTTP/1.0 tools) is allowed, since
/// rebinding attacks always send one.
package struct LocalRequestPolicy: Sendable, Equatable {
    /// The names that reach this machine's loopback interface.
    package static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "::1"]

    /// The host names accepted in `Host` and `Origin`.
    package var allowedHosts: Set<String>
    /// The port that must appear, or `nil` to accept any (when bound to port 0).
    package var port: Int?
    /// Whether any `Host` is accepted: the server listens on every interface by explicit choice.
    package var acceptsAnyHost: Bool

    /// A policy for a server bound to `bindHost:port`.
    package init(bindHost: String, port: Int) {
        let wildcard = bindHost == "0.0.0.0" || bindHost == "::"
        allowedHosts = Self.loopbackHosts.union(wildcard ? [] : [Self.bare(bindHost)])
        self.port = port == 0 ? nil : port
        acceptsAnyHost = wildcard
    }

    /// Why the request is refused, or `nil` when it may proceed.
    package func refusal(host: String?, origin: String?) -> String? {
        if let host, !acceptsAnyHost, !isAllowed(authority: host, defaultPort: 80) {
            return "Host '\(host)' is not allowed: vibe-ensemble only answers requests addressed to this machine's "
                + "loopback address on its own port."
        }
        if let origin, !isAllowed(origin: origin) {
            return "Origin '\(origin)' is not allowed: vibe-ensemble only accepts requests from local clients."
        }
        return nil
    }

    // MARK: - Private helpers

    private func isAllowed(origin: String) -> Bool {
        guard let components = URLComponents(string: origin), let scheme = components.scheme,
            scheme == "http" || scheme == "https", let host = components.host
        else { return false }
        let defaultPort = scheme == "https" ? 443 : 80
        return isAllowed(host: Self.bare(host), port: components.port ?? defaultPort)
            || (acceptsAnyHost && (port == nil || components.port == port))
    }

    private func isAllowed(authority: String, defaultPort: Int) -> Bool {
        let (host, port) = Self.split(authority: authority)
        return isAllowed(host: host, port: port ?? defaultPort)
    }

    private func isAllowed(host: String, port requestPort: Int) -> Bool {
        allowedHosts.contains(host.lowercased()) && (port == nil || port == requestPort)
    }

    /// Splits `host:port`, `[v6]:port` or a bare host.
    private static func split(authority: String) -> (host: String, port: Int?) {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        guard let colon = authority.lastIndex(of: ":") else { return (authority, nil) }
        return (String(authority[..<colon]), Int(authority[authority.index(after: colon)...]))
    }

    private static func bare(_ host: String) -> String {
        host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
    }
}
