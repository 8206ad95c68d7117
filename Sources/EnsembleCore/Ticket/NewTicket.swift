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
    /// The tickets of the same project that must close as completed before this one runs.
    package var dependsOn: [TicketID]
    /// The ticket whose worker declared this one, if a worker did.
    package var parentTicketId: TicketID?

    /// Creates the input after checking title and plan.
    /// - Throws: `EnsembleError.invalidArgument` for an empty title or plan.
    package init(
        projectId: ProjectID,
        ticketId: TicketID? = nil,
        title: String,
        description: String,
        executionPlan: [WorkerTypeName],
        priority: TicketPriority = .medium,
        maxRounds: Int = StageProgression.defaultMaxRounds,
        dependsOn: [TicketID] = [],
        parentTicketId: TicketID? = nil
    ) throws(EnsembleError) {
        try Self.check(title: title, executionPlan: executionPlan, maxRounds: maxRounds)
        self.projectId = projectId
        self.ticketId = ticketId
        self.title = title
        self.description = description
        self.executionPlan = executionPlan
        self.priority = priority
        self.maxRounds = maxRounds
        var seen: Set<TicketID> = []
        self.dependsOn = dependsOn.filter { seen.insert($0).inserted }
        guard self.dependsOn.count <= DependencyRules.maximumDependencies else {
            throw .invalidArgument(
                "depends_on names \(self.dependsOn.count) tickets; at most \(DependencyRules.maximumDependencies) are "
                    + "allowed: make a ticket that gathers some of them."
            )
        }
        self.parentTicketId = parentTicketId
    }

    /// Checks what every ticket needs: a title of a line, a plan of at least one stage, a rework limit in range.
    /// - Throws: `EnsembleError.invalidArgument` saying what to change.
    package static func check(title: String, executionPlan: [WorkerTypeName], maxRounds: Int) throws(EnsembleError) {
        guard !title.allSatisfy(\.isWhitespace) else {
            throw .invalidArgument("title must not be empty: give the ticket a short title.")
        }
        guard title.count <= maximumTitleLength else {
            throw .invalidArgument(
                "title is too long (\(title.count) characters): keep it under \(maximumTitleLength) "
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
    }
}
