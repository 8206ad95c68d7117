/// How many tasks of a queue are in each state.
package struct QueueCounts: Equatable, Sendable, Codable {
    package var queued: Int
    package var claimed: Int
    package var done: Int
    package var failed: Int
    package var discarded: Int

    package init(queued: Int = 0, claimed: Int = 0, done: Int = 0, failed: Int = 0, discarded: Int = 0) {
        self.queued = queued
        self.claimed = claimed
        self.done = done
        self.failed = failed
        self.discarded = discarded
    }

    /// Tasks still to be finished: queued or being worked on.
    package var pending: Int { queued + claimed }
}
