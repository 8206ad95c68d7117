/// One ticket a worker declares when it completes a stage (`complete_ticket_stage`'s
/// `new_tickets`): named by a `ref` that the other entries' `depends_on` may use.
package struct PlannedTicket: Equatable, Sendable {
    /// The longest ref, in characters.
    package static let maximumRefLength = 64

    package var ref: String
    package var title: String
    package var description: String
    package var executionPlan: [WorkerTypeName]
    /// Refs of the same declaration, or ids of existing tickets of the project.
    package var dependsOn: [String]
    package var priority: TicketPriority
    package var maxRounds: Int

    /// Creates the entry after checking it as a ticket of its own.
    /// - Throws: `EnsembleError.invalidArgument` naming the entry and what is wrong with it.
    package init(
        ref: String,
        title: String,
        description: String,
        executionPlan: [WorkerTypeName],
        dependsOn: [String] = [],
        priority: TicketPriority = .medium,
        maxRounds: Int = StageProgression.defaultMaxRounds
    ) throws(EnsembleError) {
        guard !ref.isEmpty, ref.count <= Self.maximumRefLength, !ref.contains(where: \.isWhitespace) else {
            throw .invalidArgument(
                "new_tickets: ref '\(ref)' must be 1-\(Self.maximumRefLength) characters without spaces, "
                    + "e.g. \"api\", so other entries can name it in depends_on."
            )
        }
        do {
            try NewTicket.check(title: title, executionPlan: executionPlan, maxRounds: maxRounds)
        } catch {
            throw .invalidArgument("new_tickets entry '\(ref)': \(error)")
        }
        self.ref = ref
        self.title = title
        self.description = description
        self.executionPlan = executionPlan
        var seen: Set<String> = []
        self.dependsOn = dependsOn.filter { seen.insert($0).inserted }
        self.priority = priority
        self.maxRounds = maxRounds
    }
}
