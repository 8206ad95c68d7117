import Foundation
import Synchronization

/// The bearer tokens of running workers: each process gets its own random token, and an MCP
/// session presenting it is scoped to that worker.
///
/// Tokens live only in memory: after a restart, old processes are stopped and new ones get new tokens.
/// Thread safety: a `Mutex` guards the table.
package final class WorkerCredentials: Sendable {
    private let tokens = Mutex<[String: WorkerIdentity]>([:])

    package init() {}

    /// Issues a fresh token for `worker`, replacing any earlier one.
    package func issue(for worker: WorkerIdentity) -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max) }
        let token = bytes.map { String(format: "%02x", $0) }.joined()
        tokens.withLock { table in
            table = table.filter { $0.value.workerId != worker.workerId }
            table[token] = worker
        }
        return token
    }

    /// Revokes the token of `worker`.
    package func revoke(_ worker: WorkerID) {
        tokens.withLock { table in table = table.filter { $0.value.workerId != worker } }
    }

    /// The worker a token belongs to, or `nil`.
    package func worker(forToken token: String) -> WorkerIdentity? {
        tokens.withLock { $0[token] }
    }
}
