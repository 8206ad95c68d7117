/// Whether a ticket's dependencies let it run.
package enum DependencyReadiness: Equatable, Sendable {
    /// Every dependency closed as completed (or it has none): the ticket may run.
    case ready
    /// Some are not closed yet, and none was stopped: the ticket is blocked until they complete.
    case waiting(on: [DependencyStatus])
    /// One was closed as stopped: the ticket can never run as planned; the coordinator decides.
    case failed(DependencyStatus)

    /// The readiness given a ticket's dependencies as they are now.
    package init(_ dependencies: [DependencyStatus]) {
        if let stopped = dependencies.first(where: \.isStopped) {
            self = .failed(stopped)
            return
        }
        let open = dependencies.filter { $0.state != .closed }
        self = open.isEmpty ? .ready : .waiting(on: open)
    }

    /// The dependencies still waited for; none unless `waiting`.
    package var waitingFor: [DependencyStatus] {
        if case .waiting(let open) = self { open } else { [] }
    }

    /// The tickets still waited for, as `SHOP-1 (in_progress), SHOP-2 (open)`.
    package var waitingList: String {
        waitingFor.map(\.summary).joined(separator: ", ")
    }
}
