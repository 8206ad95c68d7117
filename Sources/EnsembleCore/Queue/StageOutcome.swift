/// How a worker ends its stage.
package enum StageOutcome: String, CaseIterable, Equatable, Sendable, Codable {
    /// The stage is done: move to the next stage, or close the ticket after the last.
    case nextStage = "next_stage"
    /// Send the ticket back to the previous stage for rework (a review loop).
    case prevStage = "prev_stage"
    /// Hold the ticket for the coordinator.
    case needsAttention = "needs_attention"
}
