package import EnsembleCore
import Foundation
import GRDB

/// Tickets' worktrees and merges: the records the worktree keeper and the merge queue keep, and
/// the ticket changes `MergeRules` decide, each in one transaction.
extension EnsembleDatabase: WorktreeStore {
    /// Who merge problems and setup failures are recorded as coming from.
    static let server = WorkerID(uncheckedRawValue: "vibe-ensemble")

    package func worktree(of ticket: TicketID) async throws -> Worktree? {
        try await read { db in
            try Row.fetchOne(
                db,
                cached: "SELECT * FROM worktrees WHERE ticket_id = ?",
                arguments: [ticket.rawValue],
                as: Worktree.init(row:)
            )
        }
    }

    package func worktrees() async throws -> [Worktree] {
        try await read { db in
            try Row.fetchAll(db, cached: "SELECT * FROM worktrees ORDER BY created_at", as: Worktree.init(row:))
        }
    }

    package func recordWorktree(_ worktree: Worktree) async throws {
        try await write(ringsBell: false) { db in
            let now = try db.transactionDate
            try db.execute(
                cached: """
                    INSERT INTO worktrees (ticket_id, project_id, branch, path, base_commit, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (ticket_id) DO UPDATE SET branch = excluded.branch, path = excluded.path,
                        base_commit = excluded.base_commit, merge_note = NULL, merged_commit = NULL,
                        updated_at = excluded.updated_at
                    """,
                arguments: [
                    worktree.ticketId.rawValue, worktree.projectId.rawValue, worktree.branch, worktree.path,
                    worktree.baseCommit, now, now,
                ]
            )
        }
    }

    package func forgetWorktree(of ticket: TicketID) async throws {
        try await write(ringsBell: false) { db in
            try db.execute(cached: "DELETE FROM worktrees WHERE ticket_id = ?", arguments: [ticket.rawValue])
        }
    }

    package func holdForWorkspace(_ ticket: TicketID, task: TaskID, reason: String) async throws {
        let routing = routing
        try await settle { db in
            let current = try Self.requireTicket(db, ticket)
            try db.execute(
                cached: """
                    UPDATE tasks SET state = ?, claimed_by = NULL, claimed_from = NULL, lease_expires_at = NULL,
                        attempt = MAX(0, attempt - 1), updated_at = ?
                    WHERE id = ? AND state = ?
                    """,
                arguments: [
                    TaskState.queued.rawValue, try db.transactionDate, task.rawValue, TaskState.claimed.rawValue,
                ]
            )
            try db.execute(
                cached: "UPDATE workers SET run_task_id = NULL WHERE run_task_id = ?",
                arguments: [task.rawValue]
            )
            try Self.apply(
                [
                    .discardLiveTasks(reason: "its worktree could not be made ready"), .hold,
                    .record(TicketEvent(.worktreeSetupFailed, stage: current.currentStage, reason: reason)),
                ],
                to: current,
                routing: routing,
                db
            )
        }
    }

    package func ticketsToMerge() async throws -> [Ticket] {
        try await read { db in
            try Row.fetchAll(
                db,
                cached: "SELECT * FROM tickets WHERE state = ? ORDER BY updated_at, ticket_id",
                arguments: [TicketState.merging.rawValue],
                as: Ticket.init(row:)
            )
        }
    }

    package func stageCommits(of ticket: TicketID) async throws -> [(stage: Int, commit: String)] {
        try await read { db in
            try Row.fetchAll(
                db,
                cached: """
                    SELECT stage, result_commit FROM tasks
                    WHERE ticket_id = ? AND state = ? AND result_commit IS NOT NULL ORDER BY updated_at, id
                    """,
                arguments: [ticket.rawValue, TaskState.done.rawValue]
            ).map { (stage: $0["stage"], commit: $0["result_commit"]) }
        }
    }

    package func recordMergeCommit(_ ticket: TicketID, commit: String) async throws {
        try await write(ringsBell: false) { db in
            try db.execute(
                cached: """
                    UPDATE worktrees SET merged_commit = ?, updated_at = ?
                    WHERE ticket_id = ? AND EXISTS (SELECT 1 FROM tickets WHERE ticket_id = ? AND state = ?)
                    """,
                arguments: [
                    commit, try db.transactionDate, ticket.rawValue, ticket.rawValue, TicketState.merging.rawValue,
                ]
            )
        }
    }

    package func recordMerged(_ ticket: TicketID, commit: String, baseBranch: String) async throws {
        let routing = routing
        try await settle { db in
            let current = try Self.requireTicket(db, ticket)
            try db.execute(cached: "DELETE FROM worktrees WHERE ticket_id = ?", arguments: [ticket.rawValue])
            guard current.state == .merging else { return }
            try Self.apply(
                MergeRules.merged(current, commit: commit, baseBranch: baseBranch),
                to: current,
                routing: routing,
                db
            )
        }
    }

    package func sendBackFromMerge(
        _ ticket: TicketID,
        to stage: Int,
        because event: EventType,
        reason: String,
        comment: String
    ) async throws {
        let routing = routing
        try await settle { db in
            let current = try Self.requireTicket(db, ticket)
            guard current.state == .merging, current.executionPlan.indices.contains(stage) else { return }
            _ = try Self.insertComment(
                db,
                ticket: ticket,
                type: current.executionPlan[stage],
                worker: Self.server,
                stage: stage,
                content: comment
            )
            try db.execute(
                cached: "UPDATE worktrees SET merge_note = NULL, merged_commit = NULL WHERE ticket_id = ?",
                arguments: [ticket.rawValue]
            )
            try Self.apply(
                MergeRules.sendBack(current, to: stage, because: event, reason: reason),
                to: current,
                routing: routing,
                db
            )
        }
    }

    package func noteMergeWaiting(_ ticket: TicketID, reason: String) async throws {
        // Only a new reason is news: the bell rings for it alone, so a merge that keeps waiting
        // does not wake every waiter (and the merge queue itself) again at once.
        let recorded = try await write(ringsBell: false) { db -> Bool in
            let current = try Self.requireTicket(db, ticket)
            guard
                let row = try Row.fetchOne(
                    db,
                    cached: "SELECT merge_note FROM worktrees WHERE ticket_id = ?",
                    arguments: [ticket.rawValue]
                )
            else { return false }
            let note: String? = row["merge_note"]
            guard note != reason else { return false }
            try db.execute(
                cached: "UPDATE worktrees SET merge_note = ?, updated_at = ? WHERE ticket_id = ?",
                arguments: [reason, try db.transactionDate, ticket.rawValue]
            )
            try Self.recordEvent(
                db,
                .mergeBlocked,
                project: current.projectId,
                ticket: ticket,
                stage: current.lastCompletedStage,
                reason: reason
            )
            return true
        }
        if recorded { eventBell.ring() }
    }

    package func holdFromMerge(_ ticket: TicketID, reason: String) async throws {
        let routing = routing
        try await settle { db in
            let current = try Self.requireTicket(db, ticket)
            guard current.state == .merging else { return }
            try Self.apply(
                [
                    .hold,
                    .record(TicketEvent(.ticketNeedsAttention, stage: current.lastCompletedStage, reason: reason)),
                ],
                to: current,
                routing: routing,
                db
            )
        }
    }
}

extension Worktree {
    /// Reads a row of `worktrees`.
    init(row: Row) {
        self.init(
            ticketId: row.identifier("ticket_id"),
            projectId: row.identifier("project_id"),
            branch: row["branch"],
            path: row["path"],
            baseCommit: row["base_commit"],
            mergeNote: row["merge_note"],
            mergedCommit: row["merged_commit"],
            createdAt: row.date("created_at")
        )
    }
}
