package import EnsembleCore
package import Foundation
import GRDB

extension EnsembleDatabase: RetentionStore {
    package func prune(before cutoff: Date) async throws -> PrunedRecords {
        try await write { db in
            try db.execute(cached: "DELETE FROM events WHERE created_at < ?", arguments: [cutoff])
            let events = db.changesCount
            let ended = [TaskState.done, .failed, .discarded].map(\.rawValue)
            try db.execute(
                cached: "DELETE FROM tasks WHERE state IN (?, ?, ?) AND updated_at < ?",
                arguments: StatementArguments(ended) + [cutoff]
            )
            return PrunedRecords(events: events, tasks: db.changesCount)
        }
    }
}
