/// Something that can prove it is working, for `GET /health`.
package protocol HealthCheck: Sendable {
    /// Reads a snapshot from the store; throws when the store cannot answer.
    func checkHealth() async throws -> StoreHealth
}
