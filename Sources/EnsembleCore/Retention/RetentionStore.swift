package import Foundation

/// Forgets what is old enough that nobody needs it, so a server running for months keeps a
/// database of the size of its recent work.
///
/// Only history goes: events, and tasks that ended (done, failed, discarded). Projects, worker
/// types, tickets and their comments are the user's record and stay; a task that is queued or
/// claimed is live work and is never touched, whatever its age.
package protocol RetentionStore: Sendable {
    /// Deletes events created, and ended tasks last changed, before `cutoff`.
    func prune(before cutoff: Date) async throws -> PrunedRecords
}

/// What one pruning pass removed.
package struct PrunedRecords: Equatable, Sendable {
    package var events: Int
    package var tasks: Int

    package init(events: Int, tasks: Int) {
        self.events = events
        self.tasks = tasks
    }

    /// Whether nothing was removed.
    package var isEmpty: Bool { events == 0 && tasks == 0 }
}
