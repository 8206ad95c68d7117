/// The tickets a worker declares in one completion, checked as a whole and put in the order they
/// are created: every entry after the entries it depends on.
///
/// Checked here, without the store: refs are unique, and no two entries depend on each other in
/// a cycle. The store checks the rest in the completion's transaction (worker types, existing
/// ticket ids), so a bad entry anywhere creates nothing.
package struct TicketBatch: Equatable, Sendable {
    /// The most tickets one completion may declare.
    package static let maximumCount = 50
    /// How many generations of declared tickets may follow one filed by the coordinator: a
    /// planner whose tickets plan again cannot multiply work without end.
    package static let maximumDepth = 4

    /// The entries, each after those it depends on (otherwise in the order given).
    package let ordered: [PlannedTicket]

    /// No tickets.
    package static let empty = TicketBatch(checked: [])

    private init(checked: [PlannedTicket]) { ordered = checked }

    /// Checks `tickets` and orders them.
    /// - Throws: `EnsembleError.invalidArgument` for too many entries, a repeated ref, an entry
    ///   depending on itself, or a cycle among the entries.
    package init(_ tickets: [PlannedTicket]) throws(EnsembleError) {
        guard tickets.count <= Self.maximumCount else {
            throw .invalidArgument(
                "new_tickets declares \(tickets.count) tickets; at most \(Self.maximumCount) are allowed in one "
                    + "completion: declare the first ones now and the rest from a later stage."
            )
        }
        var byRef: [String: PlannedTicket] = [:]
        for ticket in tickets {
            guard byRef.updateValue(ticket, forKey: ticket.ref) == nil else {
                throw .invalidArgument("new_tickets: ref '\(ticket.ref)' is used twice: give each entry its own ref.")
            }
            if ticket.dependsOn.contains(ticket.ref) {
                throw .invalidArgument(
                    "new_tickets entry '\(ticket.ref)' depends on itself: remove it from its depends_on."
                )
            }
        }
        var ordered: [PlannedTicket] = []
        var placed: Set<String> = []
        var remaining = tickets
        while !remaining.isEmpty {
            let ready = remaining.filter { ticket in
                ticket.dependsOn.allSatisfy { byRef[$0] == nil || placed.contains($0) }
            }
            guard !ready.isEmpty else {
                let refs = remaining.map(\.ref).joined(separator: ", ")
                throw .invalidArgument(
                    "new_tickets entries \(refs) depend on each other in a cycle, so none could ever start: "
                        + "remove one of those depends_on."
                )
            }
            ordered += ready
            placed.formUnion(ready.map(\.ref))
            remaining.removeAll { placed.contains($0.ref) }
        }
        self.init(checked: ordered)
    }

    package var isEmpty: Bool { ordered.isEmpty }

    /// Whether `name`, in some entry's `depends_on`, is one of the entries.
    package func isRef(_ name: String) -> Bool { ordered.contains { $0.ref == name } }
}

/// A ticket created from a `TicketBatch` entry.
package struct CreatedTicket: Equatable, Sendable, Codable {
    package var ref: String
    package var ticketId: TicketID
    package var state: TicketState

    package init(ref: String, ticketId: TicketID, state: TicketState) {
        self.ref = ref
        self.ticketId = ticketId
        self.state = state
    }
}
