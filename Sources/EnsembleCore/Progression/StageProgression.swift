/// The rules of ticket progression: where a ticket goes after a completion, a coordinator's
/// override or a close, as effects the store applies in one transaction.
///
/// Invariants these rules keep (checked by `EnsembleInvariants` after every simulated step):
/// - an open ticket that is not on hold has exactly one live task, for its current stage;
/// - a held ticket has none, and its last events say why (`ticket_needs_attention`,
///   `task_discarded`);
/// - a rework loop is bounded: a ticket sent back `maxRounds` times is held instead of being
///   sent back again, until the coordinator moves it on (`update_ticket_stage` resets the count).
///
/// ```swift
/// let effects = StageProgression.completion(of: ticket, stage: 2, task: task.id, outcome: .prevStage,
///                                           reason: "tests fail")
/// ```
package enum StageProgression {
    /// How often a ticket may be sent back for rework before it is held, when the ticket does not say.
    package static let defaultMaxRounds = 5
    /// The allowed range of a ticket's `max_rounds`.
    package static let maxRoundsRange = 0...100

    /// What follows a completion the store accepted for `stage` of `ticket`.
    ///
    /// With `merges` (a project whose tickets have worktrees) the last stage's completion queues
    /// the ticket for merging; it completes once its branch landed (`MergeRules.merged`).
    package static func completion(
        of ticket: Ticket,
        stage: Int,
        task: TaskID,
        outcome: StageOutcome,
        reason: String?,
        merges: Bool = false
    ) -> [TicketEffect] {
        let payload = ["task_id": String(task.rawValue), "worker_type": ticket.executionPlan[stage].rawValue]
        switch outcome {
        case .nextStage:
            let completed = TicketEffect.record(
                TicketEvent(.ticketStageCompleted, stage: stage, reason: reason, payload: payload)
            )
            let next = stage + 1
            guard next < ticket.executionPlan.count else {
                if merges { return [completed, .awaitMerge(lastCompletedStage: stage)] }
                return [
                    completed,
                    .close(.completed, reason: nil, lastCompletedStage: stage),
                    .record(
                        TicketEvent(
                            .ticketCompleted,
                            stage: stage,
                            reason: "all \(ticket.executionPlan.count) stages completed",
                            payload: payload
                        )
                    ),
                ]
            }
            return [
                completed,
                .move(toStage: next, lastCompletedStage: stage, reworkRounds: ticket.reworkRounds),
                .enqueue(stage: next),
            ]
        case .prevStage:
            guard ticket.reworkRounds < ticket.maxRounds else {
                return hold(
                    at: stage,
                    because: "sent back for rework \(ticket.reworkRounds) times, its max_rounds; the last reviewer "
                        + "said: \(reason ?? "sent back for rework"). Decide with update_ticket_stage or close_ticket",
                    payload: payload
                )
            }
            let previous = stage - 1
            return [
                .move(
                    toStage: previous,
                    lastCompletedStage: ticket.lastCompletedStage,
                    reworkRounds: ticket.reworkRounds + 1
                ),
                .record(
                    TicketEvent(
                        .ticketSentBack,
                        stage: stage,
                        reason: reason ?? "sent back for rework",
                        payload: payload.merging(["to_stage": String(previous)]) { $1 }
                    )
                ),
                .enqueue(stage: previous),
            ]
        case .needsAttention:
            return hold(
                at: stage,
                because: reason ?? "the worker asked for the coordinator's attention",
                payload: payload
            )
        }
    }

    /// What follows the coordinator moving `ticket` to `stage`.
    ///
    /// Pending work is cancelled and the stage queued again, also for a held ticket (this is how
    /// it resumes). A ticket whose dependencies (`readiness`) are not all completed moves but
    /// stays blocked until they are.
    /// - Throws: `EnsembleError.dependencyStopped` when a dependency was stopped: it could never run.
    package static func override(
        _ ticket: Ticket,
        to stage: Int,
        readiness: DependencyReadiness
    ) throws(EnsembleError) -> [TicketEffect] {
        let moved: [TicketEffect] = [
            .discardLiveTasks(reason: "the coordinator moved the ticket to stage \(stage)"),
            .move(toStage: stage, lastCompletedStage: ticket.lastCompletedStage, reworkRounds: 0),
            .record(
                TicketEvent(
                    .ticketStageUpdated,
                    stage: stage,
                    reason: "coordinator moved the ticket from stage \(ticket.currentStage) to stage \(stage)",
                    payload: [
                        "from_stage": String(ticket.currentStage),
                        "worker_type": ticket.executionPlan[stage].rawValue,
                    ]
                )
            ),
        ]
        switch readiness {
        case .ready:
            return moved + [.enqueue(stage: stage)]
        case .waiting:
            var at = ticket
            at.currentStage = stage
            return moved + [.block, DependencyRules.blocked(at, readiness)]
        case .failed(let stopped):
            throw .dependencyStopped(ticket.ticketId, dependsOn: stopped.ticketId)
        }
    }

    /// What follows closing `ticket`: its pending work is discarded.
    package static func close(_ ticket: Ticket, resolution: TicketResolution, reason: String?) -> [TicketEffect] {
        [
            .discardLiveTasks(reason: "the ticket was closed"),
            .close(resolution, reason: reason, lastCompletedStage: ticket.lastCompletedStage),
            .record(
                TicketEvent(
                    .ticketClosed,
                    stage: ticket.currentStage,
                    reason: reason,
                    payload: ["resolution": resolution.rawValue]
                )
            ),
        ]
    }

    // MARK: - Private helpers

    private static func hold(at stage: Int, because reason: String, payload: [String: String]) -> [TicketEffect] {
        [.hold, .record(TicketEvent(.ticketNeedsAttention, stage: stage, reason: reason, payload: payload))]
    }
}
