package import Foundation

/// A unit of work carried through the stages of its execution plan, one worker type per stage.
package struct Ticket: Equatable, Sendable, Codable {
    package var ticketId: TicketID
    package var projectId: ProjectID
    package var title: String
    package var description: String
    package var executionPlan: [WorkerTypeName]
    /// The index in `executionPlan` of the stage to do next.
    package var currentStage: Int
    /// The index of the last stage a worker completed, `nil` before the first.
    package var lastCompletedStage: Int?
    package var state: TicketState
    package var resolution: TicketResolution?
    /// Why the ticket was closed, as the closer said.
    package var closeReason: String?
    package var priority: TicketPriority
    /// How often the ticket was sent back for rework since it was filed or last moved by the coordinator.
    package var reworkRounds: Int
    /// How often it may be sent back before it is held for the coordinator instead.
    package var maxRounds: Int
    /// The ticket whose worker declared this one (`complete_ticket_stage` with `new_tickets`).
    package var parentTicketId: TicketID?
    /// What every Claude Code run of its stages cost, summed when each run ends.
    package var usage: RunUsage
    package var createdAt: Date
    package var updatedAt: Date
    package var closedAt: Date?

    package init(
        ticketId: TicketID,
        projectId: ProjectID,
        title: String,
        description: String,
        executionPlan: [WorkerTypeName],
        currentStage: Int = 0,
        lastCompletedStage: Int? = nil,
        state: TicketState = .open,
        resolution: TicketResolution? = nil,
        closeReason: String? = nil,
        priority: TicketPriority = .medium,
        reworkRounds: Int = 0,
        maxRounds: Int = StageProgression.defaultMaxRounds,
        parentTicketId: TicketID? = nil,
        usage: RunUsage = RunUsage(),
        createdAt: Date,
        updatedAt: Date,
        closedAt: Date? = nil
    ) {
        self.ticketId = ticketId
        self.projectId = projectId
        self.title = title
        self.description = description
        self.executionPlan = executionPlan
        self.currentStage = currentStage
        self.lastCompletedStage = lastCompletedStage
        self.state = state
        self.resolution = resolution
        self.closeReason = closeReason
        self.priority = priority
        self.reworkRounds = reworkRounds
        self.maxRounds = maxRounds
        self.parentTicketId = parentTicketId
        self.usage = usage
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.closedAt = closedAt
    }

    /// The worker type of the current stage, `nil` once the ticket is past its last stage.
    package var currentWorkerType: WorkerTypeName? {
        executionPlan.indices.contains(currentStage) ? executionPlan[currentStage] : nil
    }

    /// Resolves a stage given by index or by worker type to an index in the plan.
    /// - Throws: `EnsembleError` when the index is out of range or the type is not in the plan.
    package func stageIndex(for selector: StageSelector) throws(EnsembleError) -> Int {
        switch selector {
        case .index(let index):
            guard executionPlan.indices.contains(index) else {
                throw .stageOutOfRange(ticketId, stage: index, stageCount: executionPlan.count)
            }
            return index
        case .workerType(let type):
            guard let index = executionPlan.firstIndex(of: type) else {
                throw .workerTypeNotInPlan(ticketId, type, plan: executionPlan)
            }
            return index
        }
    }
}
