package import EnsembleCore

/// The events after a given id, as they are recorded: an async sequence of batches, woken by the
/// event bell, that yields an empty batch when nothing happened for `heartbeat` (so a stream can
/// send a keep-alive) and ends when its task is cancelled.
package struct EventFeed: AsyncSequence, Sendable {
    package typealias Element = [Event]

    let repository: any Repository
    let bell: EventBell
    let after: EventID?
    let heartbeat: Duration

    package init(repository: any Repository, bell: EventBell, after: EventID?, heartbeat: Duration = .seconds(15)) {
        self.repository = repository
        self.bell = bell
        self.after = after
        self.heartbeat = heartbeat
    }

    package func makeAsyncIterator() -> Iterator {
        Iterator(feed: self, last: after)
    }

    /// Reads the next batch.
    package struct Iterator: AsyncIteratorProtocol {
        let feed: EventFeed
        var last: EventID?

        package mutating func next() async throws -> [Event]? {
            guard !Task.isCancelled else { return nil }
            let generation = feed.bell.generation
            let events = try await readNew()
            guard events.isEmpty else { return events }
            await feed.bell.wait(after: generation, timeout: feed.heartbeat)
            return Task.isCancelled ? nil : try await readNew()
        }

        /// The events after the last one handed out, moving the mark past them.
        private mutating func readNew() async throws -> [Event] {
            let events = try await feed.repository.events(
                matching: EventQuery(processed: nil, sinceId: last, limit: EventQuery.limitRange.upperBound)
            )
            last = events.last?.id ?? last
            return events
        }
    }
}
