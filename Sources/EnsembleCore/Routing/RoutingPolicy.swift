/// How tasks find workers: whether workers are spawned automatically, how often a task may fail,
/// and how many workers may run at once.
package struct RoutingPolicy: Equatable, Sendable {
    /// Whether routing may start workers (up to each type's `max_workers`).
    package var autoSpawn: Bool
    /// How many failed attempts a task gets before it is discarded and its ticket held.
    package var maxAttempts: Int
    /// How many workers may run at once across all projects when spawned automatically.
    package var maxRunningWorkers: Int

    package init(autoSpawn: Bool = true, maxAttempts: Int = 3, maxRunningWorkers: Int = 32) {
        self.autoSpawn = autoSpawn
        self.maxAttempts = maxAttempts
        self.maxRunningWorkers = maxRunningWorkers
    }
}
