/// The rules of merging a finished ticket's branch back: what a landed merge, a conflict and a
/// failing check do to the ticket, and which stage owns a conflict.
///
/// Invariants (with `EnsembleInvariants`): a `merging` ticket has no live task; it leaves the
/// state only by landing (closed as completed, `ticket_merged`), by being sent back to a stage
/// (one live task again) or held, or by the coordinator.
package enum MergeRules {
    /// What one stage's commit changed: the files between the previous stage's tip and its own.
    package struct StageChange: Equatable, Sendable {
        package var stage: Int
        package var files: Set<String>

        package init(stage: Int, files: Set<String>) {
            self.stage = stage
            self.files = files
        }
    }

    /// What follows `ticket`'s branch landing on the base branch as `commit`.
    package static func merged(_ ticket: Ticket, commit: String, baseBranch: String) -> [TicketEffect] {
        let stage = ticket.lastCompletedStage ?? ticket.currentStage
        return [
            .close(.completed, reason: nil, lastCompletedStage: ticket.lastCompletedStage),
            .record(
                TicketEvent(
                    .ticketMerged,
                    stage: stage,
                    reason: "merged into \(baseBranch) as \(commit.prefix(12))",
                    payload: [
                        "commit": commit, "base_branch": baseBranch, "branch": Worktree.branch(of: ticket.ticketId),
                    ]
                )
            ),
            .record(
                TicketEvent(
                    .ticketCompleted,
                    stage: stage,
                    reason: "all \(ticket.executionPlan.count) stages completed and merged into \(baseBranch)"
                )
            ),
        ]
    }

    /// What follows a merge that cannot land: the ticket goes back to `stage` with `reason` (the
    /// conflicting files, or the check's output), as a rework round; past `maxRounds` it is held.
    package static func sendBack(
        _ ticket: Ticket,
        to stage: Int,
        because event: EventType,
        reason: String
    ) -> [TicketEffect] {
        let record = TicketEffect.record(
            TicketEvent(
                event,
                stage: stage,
                reason: reason,
                payload: ["to_stage": String(stage), "worker_type": ticket.executionPlan[stage].rawValue]
            )
        )
        guard ticket.reworkRounds < ticket.maxRounds else {
            return [
                record, .hold,
                .record(
                    TicketEvent(
                        .ticketNeedsAttention,
                        stage: stage,
                        reason: "its merge failed after \(ticket.reworkRounds) rework rounds, its max_rounds: \(reason)"
                    )
                ),
            ]
        }
        return [
            .move(toStage: stage, lastCompletedStage: ticket.lastCompletedStage, reworkRounds: ticket.reworkRounds + 1),
            record,
            .enqueue(stage: stage),
        ]
    }

    /// The stage a conflict in `files` goes back to: the latest stage whose commit changed one of
    /// them, else the latest stage that changed anything, else the first.
    package static func owner(of files: Set<String>, among changes: [StageChange]) -> Int {
        changes.last { !$0.files.isDisjoint(with: files) }?.stage
            ?? changes.last { !$0.files.isEmpty }?.stage
            ?? 0
    }
}
