/// The validated input for filing a ticket.
package struct NewTicket: Equatable, Sendable {
    /// The longest title, in characters.
    package static let maximumTitleLength = 300

    package var projectId: ProjectID
    /// The ticket id to use, or `nil` to have the store generate `PREFIX-N`.
    package var ticketId: TicketID?
    package var title: String
    package var description: String
    package var executionPlan: [WorkerTypeName]
    package var priority: TicketPriority
    /// How often the ticket may be sent back for rework before it is held.
    package var maxRounds: Int

    /// Creates the input after checking title and plan.
    /// - Throws: `EnsembleError.invalidArgument` for an empty title or plan.
    package init(
        projectId: ProjectID,
        ticketId: TicketID? = nil,
        title: String,
        description: String,
        executionPlan: [WorkerTypeName],
        priority: TicketPriority = .medium,
        maxRounds: Int = StageProgression.defaultMaxRounds
    ) throws(EnsembleError) {
        guard !title.allSatisfy(\.isWhitespace) else {
            throw .invalidArgument("title must not be empty: give the ticket a short title.")
        }
        guard title.count <= Self.maximumTitleLength else {
            throw .invalidArgument(
                "title is too long (\(title.count) characters): keep it under \(Self.maximumTitleLength) "
                    + "and put details in the description."
            )
        }
        guard !executionPlan.isEmpty else {
            throw .invalidArgument(
                "execution_plan must list at least one worker type, e.g. [\"planner\", \"coder\", \"reviewer\"]."
            )
        }
        guard StageProgression.maxRoundsRange.contains(maxRounds) else {
            throw .invalidArgument(
                "max_rounds must be between \(StageProgression.maxRoundsRange.lowerBound) and "
                    + "\(StageProgression.maxRoundsRange.upperBound): how often the ticket may be sent back for rework."
            )
        }
        self.projectId = projectId
        self.ticketId = ticketId
        self.title = title
        self.description = description
        self.executionPlan = executionPlan
        self.priority = priority
        self.maxRounds = maxRounds
    }
}
