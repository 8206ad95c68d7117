/// The rules of ticket dependencies: when a ticket may run, what a dependency closing does to
/// the tickets waiting for it, and which edits of the graph are refused.
///
/// Invariants these rules keep (checked by `EnsembleInvariants` after every simulated step):
/// - a `blocked` ticket has no live task and waits for at least one dependency that is not
///   closed, none of them stopped; an `open` or `in_progress` ticket's dependencies all completed;
/// - the graph never has a cycle, and a ticket depends only on tickets of its own project;
/// - a ticket unblocks (its stage queued, `ticket_unblocked`) in the transaction that completed
///   or removed its last open dependency, and a stopped dependency puts it on hold
///   (`dependency_failed`) in the transaction that stopped it.
package enum DependencyRules {
    /// The most dependencies one ticket may have.
    package static let maximumDependencies = 100

    /// The state a new ticket starts in, given its dependencies.
    /// - Throws: `EnsembleError.newTicketOnStoppedDependency` when one was stopped: it would never run.
    package static func initialState(_ readiness: DependencyReadiness) throws(EnsembleError) -> TicketState {
        switch readiness {
        case .ready: .open
        case .waiting: .blocked
        case .failed(let stopped): throw .newTicketOnStoppedDependency(stopped.ticketId)
        }
    }

    /// Checks the dependencies of a new ticket `id` of `project`; returns its initial state and
    /// the readiness it follows from (what a blocked one's event names).
    /// - Throws: `EnsembleError` for a ticket of another project or one that was stopped.
    package static func checkNew(
        _ id: TicketID,
        of project: ProjectID,
        dependingOn dependencies: [Ticket]
    ) throws(EnsembleError) -> (state: TicketState, readiness: DependencyReadiness) {
        for dependency in dependencies where dependency.projectId != project {
            throw .dependencyOfOtherProject(id, dependsOn: dependency.ticketId, project: dependency.projectId)
        }
        let readiness = DependencyReadiness(dependencies.map(DependencyStatus.init))
        return (try initialState(readiness), readiness)
    }

    /// Checks that `ticket` may depend on `dependency`, in `graph` (the project's dependencies).
    /// - Throws: `EnsembleError` saying why not: itself, another project, a stopped ticket, a
    ///   closed ticket, a cycle, or a dependency it already has.
    package static func checkAdding(
        _ dependency: Ticket,
        to ticket: Ticket,
        in graph: DependencyGraph
    ) throws(EnsembleError) {
        let edge = TicketDependency(ticket.ticketId, dependsOn: dependency.ticketId)
        guard ticket.ticketId != dependency.ticketId else { throw .dependencyOnItself(ticket.ticketId) }
        guard ticket.state != .closed else { throw .ticketClosed(ticket.ticketId) }
        guard dependency.projectId == ticket.projectId else {
            throw .dependencyOfOtherProject(
                ticket.ticketId,
                dependsOn: dependency.ticketId,
                project: dependency.projectId
            )
        }
        guard !graph.dependencies(of: ticket.ticketId).contains(dependency.ticketId) else {
            throw .dependencyAlreadyExists(ticket.ticketId, dependsOn: dependency.ticketId)
        }
        if DependencyStatus(dependency).isStopped {
            throw .dependencyStopped(ticket.ticketId, dependsOn: dependency.ticketId)
        }
        if let cycle = graph.cycle(adding: edge) {
            throw .dependencyCycle(ticket.ticketId, dependsOn: dependency.ticketId, cycle: cycle)
        }
        if graph.dependencies(of: ticket.ticketId).count >= maximumDependencies {
            throw .invalidArgument(
                "Ticket '\(ticket.ticketId)' already depends on \(maximumDependencies) tickets, the most one may: "
                    + "make a ticket that gathers some of them."
            )
        }
    }

    /// What follows `ticket` gaining the dependency `dependency` (checked with `checkAdding`).
    ///
    /// A ticket with a stage queued stops waiting for a worker and is blocked; one whose stage a
    /// worker is doing is refused, so no work in progress is thrown away.
    /// - Throws: `EnsembleError.ticketBusy` for a ticket in progress on a dependency not completed.
    package static func added(_ dependency: Ticket, to ticket: Ticket) throws(EnsembleError) -> [TicketEffect] {
        let status = DependencyStatus(dependency)
        let added = TicketEffect.record(
            TicketEvent(
                .dependencyAdded,
                stage: ticket.currentStage,
                reason: "now depends on \(dependency.ticketId) (\(status.stateText))",
                payload: ["depends_on": dependency.ticketId.rawValue]
            )
        )
        guard !status.isCompleted else { return [added] }
        switch ticket.state {
        case .open:
            return [
                .discardLiveTasks(reason: "the ticket now waits for \(dependency.ticketId)"), .block, added,
                blocked(ticket, .waiting(on: [status])),
            ]
        case .inProgress:
            throw .ticketBusy(ticket.ticketId, stage: ticket.currentStage)
        case .merging:
            throw .ticketMerging(ticket.ticketId)
        case .blocked, .onHold, .closed:
            return [added]
        }
    }

    /// What follows `ticket` losing its dependency on `removed`, its other dependencies being `readiness`.
    package static func removed(_ removed: TicketID, from ticket: Ticket, leaving readiness: DependencyReadiness)
        -> [TicketEffect]
    {
        let event = TicketEffect.record(
            TicketEvent(
                .dependencyRemoved,
                stage: ticket.currentStage,
                reason: "no longer depends on \(removed)",
                payload: ["depends_on": removed.rawValue]
            )
        )
        guard ticket.state == .blocked else { return [event] }
        switch readiness {
        case .ready:
            return [event]
                + unblock(
                    ticket,
                    because: "\(removed), the last ticket it waited for, was removed from its dependencies",
                    dependency: removed
                )
        case .waiting:
            return [event]
        case .failed(let stopped):
            return [event] + failed(ticket, stopped)
        }
    }

    /// What follows `closed` (as it is now, closed) closing for `dependent`, one of the tickets
    /// depending on it, whose dependencies are now `readiness`.
    package static func dependencyClosed(
        _ closed: Ticket,
        dependent: Ticket,
        readiness: DependencyReadiness
    ) -> [TicketEffect] {
        let status = DependencyStatus(closed)
        switch dependent.state {
        case .blocked:
            if !status.isCompleted { return failed(dependent, status) }
            switch readiness {
            case .ready:
                return unblock(
                    dependent,
                    because: "\(closed.ticketId), the last ticket it waited for, completed",
                    dependency: closed.ticketId
                )
            case .waiting:
                return []
            case .failed(let stopped):
                return failed(dependent, stopped)
            }
        case .onHold:
            // Already with the coordinator: told, so it knows this dependency is gone too.
            return status.isCompleted ? [] : [failedEvent(dependent, status)]
        case .open, .inProgress, .merging, .closed:
            return []
        }
    }

    /// The event saying `ticket` waits for `readiness`'s open dependencies.
    package static func blocked(_ ticket: Ticket, _ readiness: DependencyReadiness) -> TicketEffect {
        .record(
            TicketEvent(
                .ticketBlocked,
                stage: ticket.currentStage,
                reason: "waits for \(readiness.waitingList): its stage \(ticket.currentStage) is queued once "
                    + (readiness.waitingFor.count == 1 ? "it completes" : "they complete"),
                payload: ["depends_on": readiness.waitingFor.map(\.ticketId.rawValue).joined(separator: ",")]
            )
        )
    }

    // MARK: - Private helpers

    private static func unblock(_ ticket: Ticket, because reason: String, dependency: TicketID) -> [TicketEffect] {
        [
            .move(
                toStage: ticket.currentStage,
                lastCompletedStage: ticket.lastCompletedStage,
                reworkRounds: ticket.reworkRounds
            ),
            .record(
                TicketEvent(
                    .ticketUnblocked,
                    stage: ticket.currentStage,
                    reason: reason,
                    payload: [
                        "dependency": dependency.rawValue,
                        "worker_type": ticket.currentWorkerType?.rawValue ?? "",
                    ]
                )
            ),
            .enqueue(stage: ticket.currentStage),
        ]
    }

    private static func failed(_ ticket: Ticket, _ stopped: DependencyStatus) -> [TicketEffect] {
        [.hold, failedEvent(ticket, stopped)]
    }

    private static func failedEvent(_ ticket: Ticket, _ stopped: DependencyStatus) -> TicketEffect {
        .record(
            TicketEvent(
                .dependencyFailed,
                stage: ticket.currentStage,
                reason: "\(stopped.ticketId), which it depends on, was stopped: remove that dependency with "
                    + "remove_ticket_dependency and resume it with update_ticket_stage, or close it",
                payload: ["dependency": stopped.ticketId.rawValue]
            )
        )
    }
}

extension DependencyStatus {
    /// `in_progress`, or `closed as completed`.
    fileprivate var stateText: String {
        state == .closed ? "closed as \(resolution?.rawValue ?? "closed")" : state.rawValue
    }
}
