package import EnsembleCore
import Foundation

/// Decides who a request speaks for from its `Authorization` header.
///
/// A bearer token issued to a running worker makes the caller that worker. Otherwise the caller
/// is the coordinator: with a coordinator token configured (`--auth-token`) it must present it;
/// without one, it must present no token at all (an unknown token is refused, never downgraded).
package struct CallerAuthenticator: Sendable {
    let credentials: WorkerCredentials
    let coordinatorToken: String?

    package init(credentials: WorkerCredentials, coordinatorToken: String? = nil) {
        self.credentials = credentials
        self.coordinatorToken = coordinatorToken
    }

    /// The caller, or `nil` when the request must be refused with 401.
    package func caller(authorization header: String?) -> ToolCaller? {
        let token = header.flatMap(Self.bearerToken)
        if let token, let worker = credentials.worker(forToken: token) {
            return .worker(worker)
        }
        switch (coordinatorToken, header) {
        case (nil, nil): return .coordinator
        case (let expected?, _) where token.map({ Self.constantTimeEquals($0, expected) }) == true: return .coordinator
        default: return nil
        }
    }

    /// The token of a `Bearer <token>` header.
    package static func bearerToken(of header: String) -> String? {
        guard let space = header.firstIndex(of: " "),
            header[..<space].utf8.elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 })
        else { return nil }
        return String(header[header.index(after: space)...].trimmingSpacesAndTabs)
    }

    private static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        return zip(lhs.utf8, rhs.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
