package import EnsembleCore
package import EnsembleStore

/// Waits, woken by the store's event bell, until the store holds events matching a condition.
package enum EventWaiter {
    /// Returns all events once `condition` holds for them; fails after `timeout`.
    @discardableResult
    package static func waitFor(
        in database: EnsembleDatabase,
        timeout: Duration = .seconds(20),
        until condition: ([Event]) -> Bool
    ) async throws -> [Event] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let generation = database.eventBell.generation
            let events =
                try await database.events(matching: EventQuery(processed: false, limit: 1_000))
                + database.events(matching: EventQuery(processed: true, limit: 1_000))
            if condition(events.sorted { $0.id < $1.id }) { return events.sorted { $0.id < $1.id } }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                throw WaitTimeout(events: events.map(\.eventType.rawValue))
            }
            await database.eventBell.wait(after: generation, timeout: remaining)
        }
    }

    /// The condition was not met in time; carries what happened instead.
    package struct WaitTimeout: Error, CustomStringConvertible {
        package let events: [String]
        package var description: String { "timed out; events so far: \(events)" }
    }
}
