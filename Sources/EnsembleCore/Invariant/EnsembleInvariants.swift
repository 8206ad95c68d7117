/// What must always hold between tickets, tasks and workers, whatever happened before.
///
/// The promise that nothing is ever stranded, checked after every step of the simulation test:
///
/// 1. Every open ticket that is not on hold has exactly one live task (queued or claimed), for
///    its current stage and of that stage's worker type, and it is `in_progress` exactly while
///    that task is claimed. A held ticket has none, and its last word is an event saying why
///    (`ticket_needs_attention`, `task_discarded`, `dependency_failed`, `worktree_setup_failed`). A
///    closed ticket has none.
/// 2. A queued task is on the queue of a worker that is running or being spawned, or on the
///    backlog; never on the queue of a finished, failed, stopped or deleted worker. A claim held
///    by a worker is held by a running one, and a worker holds at most one.
/// 3. The backlog is routed whenever capacity can have changed: every task on it would still
///    wait if routed now, for the reason its task records and its last `ticket_waiting_for_worker`
///    event gave; and no task waits behind other work on a queue while an idle worker or a free
///    cap could start it at once.
/// 4. Attempts count failures of the work (crash, quit, hang, lease expiry), not a stop, a
///    shutdown or a restart: a task's failures never exceed its attempts, and only a task that
///    failed `max_attempts` times is discarded for it. (The simulation also counts them exactly.)
/// 5. A claim held by a worker whose process runs is never rescued from under it. (Checked by the
///    simulation, which knows the processes.)
/// 6. A ticket's rework loop is bounded: it is never sent back more than `max_rounds` times
///    without the coordinator moving it on.
/// 7. One server per database. (Checked by its own test: the lock is not in the data.)
/// 8. Work stays in its project: a task is of its ticket's project, on a queue of a worker of that
///    project and of the task's type, and every worker is named `worker_<type>_<n>` within limits.
/// 9. Dependencies hold (`DependencyRules`): a `blocked` ticket has no live task and waits for at
///    least one dependency that is not closed, none of them stopped; an `open` or `in_progress`
///    ticket's dependencies all completed; a ticket depends only on tickets of its own project,
///    never on itself, and the graph has no cycle.
/// 10. A `merging` ticket (`MergeRules`) has done every stage of its plan and has no live task:
///    it leaves the merge queue only by landing, by being sent back to a stage, or by the coordinator.
package enum EnsembleInvariants {
    /// One broken invariant.
    package struct Violation: Equatable, Sendable, CustomStringConvertible {
        /// The invariant's number in the list above.
        package var invariant: Int
        package var message: String

        package init(_ invariant: Int, _ message: String) {
            self.invariant = invariant
            self.message = message
        }

        package var description: String { "invariant \(invariant): \(message)" }
    }

    /// Every violation in `snapshot`, empty when all invariants hold.
    package static func violations(in snapshot: EnsembleSnapshot) -> [Violation] {
        ticketsHaveTheirTask(snapshot) + tasksSitWithRunningWorkers(snapshot) + backlogIsSettled(snapshot)
            + attemptsCountFailures(snapshot) + reworkIsBounded(snapshot) + workStaysInItsProject(snapshot)
            + dependenciesHold(snapshot)
    }

    // MARK: - The invariants

    private static let holdEvents: Set<EventType> = [
        .ticketNeedsAttention, .taskDiscarded, .dependencyFailed, .worktreeSetupFailed,
    ]
    private static let resumeEvents: Set<EventType> = [
        .ticketCreated, .ticketStageUpdated, .ticketAssigned, .ticketUnblocked, .ticketsCreated,
    ]

    private static func ticketsHaveTheirTask(_ snapshot: EnsembleSnapshot) -> [Violation] {
        let live = Dictionary(grouping: snapshot.tasks.filter(\.isLive), by: \.ticketId)
        return snapshot.tickets.flatMap { ticket -> [Violation] in
            let tasks = live[ticket.ticketId] ?? []
            let id = ticket.ticketId
            switch ticket.state {
            case .closed:
                return tasks.isEmpty ? [] : [Violation(1, "closed ticket \(id) has live tasks \(ids(tasks))")]
            case .blocked:
                return tasks.isEmpty ? [] : [Violation(9, "blocked ticket \(id) has live tasks \(ids(tasks))")]
            case .merging:
                var found: [Violation] = []
                if !tasks.isEmpty { found.append(Violation(1, "merging ticket \(id) has live tasks \(ids(tasks))")) }
                if ticket.lastCompletedStage != ticket.executionPlan.count - 1 {
                    found.append(
                        Violation(
                            10,
                            "merging ticket \(id) completed stage \(ticket.lastCompletedStage.map(String.init) ?? "none") "
                                + "of \(ticket.executionPlan.count), not its last"
                        )
                    )
                }
                return found
            case .onHold:
                var found: [Violation] = []
                if !tasks.isEmpty { found.append(Violation(1, "held ticket \(id) has live tasks \(ids(tasks))")) }
                let last = snapshot.events.last {
                    $0.ticketId == id && (holdEvents.contains($0.eventType) || resumeEvents.contains($0.eventType))
                }
                if let last, holdEvents.contains(last.eventType) { return found }
                return found + [
                    Violation(
                        1,
                        "held ticket \(id) has no event saying why (last: \(last?.eventType.rawValue ?? "none"))"
                    )
                ]
            case .open, .inProgress:
                guard tasks.count == 1, let task = tasks.first else {
                    return [Violation(1, "open ticket \(id) has \(tasks.count) live tasks \(ids(tasks)), not one")]
                }
                var found: [Violation] = []
                if task.stage != ticket.currentStage || task.workerType != ticket.currentWorkerType {
                    found.append(
                        Violation(
                            1,
                            "ticket \(id) is at stage \(ticket.currentStage) but its task \(task.id) is for stage \(task.stage)"
                        )
                    )
                }
                if (ticket.state == .inProgress) != (task.state == .claimed) {
                    found.append(
                        Violation(
                            1,
                            "ticket \(id) is \(ticket.state.rawValue) while its task \(task.id) is \(task.state.rawValue)"
                        )
                    )
                }
                return found
            }
        }
    }

    private static func tasksSitWithRunningWorkers(_ snapshot: EnsembleSnapshot) -> [Violation] {
        let byQueue = Dictionary(snapshot.workers.map { ($0.identity.queueName, $0) }) { $1 }
        let byID = Dictionary(snapshot.workers.map { ($0.id, $0) }) { $1 }
        var found: [Violation] = []
        for task in snapshot.tasks where task.state == .queued {
            guard let queue = task.queueName else { continue }
            guard let owner = byQueue[queue] else {
                found.append(Violation(2, "task \(task.id) is queued on \(queue), which has no worker"))
                continue
            }
            if !owner.status.isRunning {
                found.append(
                    Violation(2, "task \(task.id) is queued on \(queue) of \(owner.status.rawValue) worker \(owner.id)")
                )
            }
        }
        let claims = snapshot.tasks.filter { $0.state == .claimed }
        for (claimant, held) in Dictionary(grouping: claims, by: { $0.claimedBy }) {
            guard let claimant, let worker = byID[claimant] else { continue }
            if !worker.status.isRunning {
                found.append(Violation(2, "\(worker.status.rawValue) worker \(claimant) holds claims \(ids(held))"))
            }
            if held.count > 1 {
                found.append(Violation(2, "worker \(claimant) holds \(held.count) claims \(ids(held))"))
            }
        }
        return found
    }

    private static func backlogIsSettled(_ snapshot: EnsembleSnapshot) -> [Violation] {
        let pool = snapshot.pool
        return snapshot.tasks.filter { $0.state == .queued && $0.queueName == nil }.flatMap { task -> [Violation] in
            var trial = pool
            guard case .wait(let reason) = trial.route(task.workerType, in: task.projectId) else {
                return [
                    Violation(3, "backlog task \(task.id) of \(task.workerType) waits although it could be routed now")
                ]
            }
            guard task.waitingReason == reason.description else {
                return [
                    Violation(
                        3,
                        "backlog task \(task.id) records '\(task.waitingReason ?? "nothing")', not '\(reason)'"
                    )
                ]
            }
            let told = snapshot.events.contains {
                $0.eventType == .ticketWaitingForWorker && $0.payload["task_id"] == String(task.id.rawValue)
                    && $0.reason == reason.description
            }
            return told ? [] : [Violation(3, "no ticket_waiting_for_worker event told why task \(task.id) waits")]
        } + parkedTasksCouldNotStart(snapshot, pool)
    }

    private static func parkedTasksCouldNotStart(_ snapshot: EnsembleSnapshot, _ pool: WorkerPool) -> [Violation] {
        snapshot.tasks.filter { $0.state == .queued }.compactMap { task in
            guard !task.isPinned, let queue = task.queueName, pool.isLive(queue) else { return nil }
            var trial = pool
            guard let better = trial.reroute(task.workerType, in: task.projectId, from: queue) else { return nil }
            return Violation(
                3,
                "task \(task.id) waits behind other work on \(queue) although \(better) could start it now"
            )
        }
    }

    private static func attemptsCountFailures(_ snapshot: EnsembleSnapshot) -> [Violation] {
        let discarded = Set(
            snapshot.events.filter { $0.eventType == .taskDiscarded }.compactMap { $0.payload["task_id"] }
        )
        return snapshot.tasks.compactMap { task in
            if task.failures > task.maxAttempts || task.failures > task.attempt {
                return Violation(4, "task \(task.id) has \(task.failures) failures in \(task.attempt) attempts")
            }
            if discarded.contains(String(task.id.rawValue)), task.failures < task.maxAttempts {
                return Violation(4, "task \(task.id) was discarded after \(task.failures) failures")
            }
            return nil
        }
    }

    private static func reworkIsBounded(_ snapshot: EnsembleSnapshot) -> [Violation] {
        snapshot.tickets.compactMap { ticket in
            ticket.reworkRounds > ticket.maxRounds
                ? Violation(
                    6,
                    "ticket \(ticket.ticketId) was sent back \(ticket.reworkRounds) times, over \(ticket.maxRounds)"
                )
                : nil
        }
    }

    private static func workStaysInItsProject(_ snapshot: EnsembleSnapshot) -> [Violation] {
        let tickets = Dictionary(snapshot.tickets.map { ($0.ticketId, $0) }) { $1 }
        let byQueue = Dictionary(snapshot.workers.map { ($0.identity.queueName, $0) }) { $1 }
        var found: [Violation] = []
        for task in snapshot.tasks {
            if let ticket = tickets[task.ticketId], ticket.projectId != task.projectId {
                found.append(Violation(8, "task \(task.id) is of \(task.projectId), its ticket of \(ticket.projectId)"))
            }
            if let queue = task.queueName, let owner = byQueue[queue],
                owner.identity.projectId != task.projectId || owner.identity.workerType != task.workerType
            {
                found.append(Violation(8, "task \(task.id) of \(task.projectId)/\(task.workerType) sits on \(queue)"))
            }
        }
        for worker in snapshot.workers {
            let type = worker.identity.workerType
            if WorkerNaming.number(of: worker.id, type: type) == nil || !WorkerID.isValid(worker.id.rawValue) {
                found.append(Violation(8, "worker \(worker.id) is not named worker_\(type)_<n> within the limits"))
            }
        }
        return found
    }

    private static func dependenciesHold(_ snapshot: EnsembleSnapshot) -> [Violation] {
        let tickets = Dictionary(snapshot.tickets.map { ($0.ticketId, $0) }) { $1 }
        let byTicket = Dictionary(grouping: snapshot.dependencies, by: \.ticketId)
        var found: [Violation] = []
        for dependency in snapshot.dependencies {
            guard let ticket = tickets[dependency.ticketId], let other = tickets[dependency.dependsOn] else {
                found.append(
                    Violation(9, "dependency \(dependency.ticketId) → \(dependency.dependsOn) names a missing ticket")
                )
                continue
            }
            if ticket.ticketId == other.ticketId || ticket.projectId != other.projectId {
                found.append(
                    Violation(
                        9,
                        "\(ticket.ticketId) of \(ticket.projectId) depends on \(other.ticketId) of \(other.projectId)"
                    )
                )
            }
        }
        for ticket in snapshot.tickets {
            let readiness = DependencyReadiness(
                (byTicket[ticket.ticketId] ?? []).compactMap { tickets[$0.dependsOn].map(DependencyStatus.init) }
            )
            switch (ticket.state, readiness) {
            case (.blocked, .waiting), (.open, .ready), (.inProgress, .ready), (.merging, .ready), (.onHold, _),
                (.closed, _):
                continue
            default:
                found.append(
                    Violation(
                        9,
                        "ticket \(ticket.ticketId) is \(ticket.state.rawValue) while its dependencies are \(readiness)"
                    )
                )
            }
        }
        if let cycle = DependencyGraph(snapshot.dependencies).anyCycle() {
            found.append(
                Violation(9, "the dependencies form the cycle \(cycle.map(\.rawValue).joined(separator: " → "))")
            )
        }
        return found
    }

    private static func ids(_ tasks: [QueueTask]) -> String {
        tasks.map { String($0.id.rawValue) }.joined(separator: ", ")
    }
}

extension QueueTask {
    /// Whether the task is still to be done: queued or claimed.
    package var isLive: Bool { state == .queued || state == .claimed }
}
