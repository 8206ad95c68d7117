/// The dependencies of a project's tickets as a directed graph (ticket → what it depends on),
/// for the rules that must never let a cycle form: a cycle would block its tickets for ever.
package struct DependencyGraph: Sendable {
    private var edges: [TicketID: Set<TicketID>] = [:]

    package init(_ dependencies: some Sequence<TicketDependency>) {
        for dependency in dependencies { add(dependency) }
    }

    package mutating func add(_ dependency: TicketDependency) {
        edges[dependency.ticketId, default: []].insert(dependency.dependsOn)
    }

    /// What `ticket` depends on directly.
    package func dependencies(of ticket: TicketID) -> Set<TicketID> { edges[ticket] ?? [] }

    /// The shortest chain of dependencies from `start` to `goal`, both included.
    ///
    /// `nil` when `start` does not depend on `goal`, directly or through others; among chains of
    /// one length, always the same one.
    package func path(from start: TicketID, to goal: TicketID) -> [TicketID]? {
        var cameFrom: [TicketID: TicketID] = [start: start]
        var frontier = [start]
        while !frontier.isEmpty {
            var next: [TicketID] = []
            for ticket in frontier {
                if ticket == goal {
                    var path = [goal]
                    while let previous = cameFrom[path[0]], previous != path[0] { path.insert(previous, at: 0) }
                    return path
                }
                for dependency in dependencies(of: ticket).sorted() where cameFrom[dependency] == nil {
                    cameFrom[dependency] = ticket
                    next.append(dependency)
                }
            }
            frontier = next
        }
        return nil
    }

    /// The cycle that `ticket` depending on `dependsOn` would close, as the chain
    /// `ticket → dependsOn → … → ticket`, or `nil` when the graph stays acyclic.
    package func cycle(adding dependency: TicketDependency) -> [TicketID]? {
        if dependency.ticketId == dependency.dependsOn { return [dependency.ticketId, dependency.ticketId] }
        return path(from: dependency.dependsOn, to: dependency.ticketId).map { [dependency.ticketId] + $0 }
    }

    /// One cycle of the graph, or `nil` when there is none (the invariant's check).
    package func anyCycle() -> [TicketID]? {
        for (ticket, dependencies) in edges.sorted(by: { $0.key < $1.key }) {
            for dependency in dependencies.sorted() {
                if let cycle = path(from: dependency, to: ticket) { return [ticket] + cycle }
            }
        }
        return nil
    }
}
