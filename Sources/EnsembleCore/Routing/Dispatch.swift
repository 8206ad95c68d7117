/// The rule that keeps every queued task where it will be claimed soonest: what follows any
/// change of capacity or state.
///
/// A queued task no running worker will claim — on the backlog, or on the queue of a worker that
/// finished, failed, stopped or was deleted — is routed again, most urgent and oldest first, so
/// a task waits only while there truly is no capacity, and its `ticket_waiting_for_worker` event
/// says what would free it (once per reason, not on every pass). A task waiting behind other
/// work on a running worker's queue moves when a worker could start on it at once (one became
/// idle, or a cap freed), unless the coordinator put it there; otherwise tasks on running
/// workers' queues stay where they are.
///
/// The store runs this inside every transaction that can change capacity or state: a stage
/// completion, a worker exit of any kind, a spawn or stop, `update_ticket_stage`, `close_ticket`,
/// a worker type update, start-up and the periodic maintenance pass.
package enum Dispatch {
    /// One decision of a pass.
    package struct Step: Equatable, Sendable {
        package var task: TaskID
        package var decision: RoutingDecision
        /// Whether the decision is a wait whose reason the task's last event did not give.
        package var recordsEvent: Bool

        package init(task: TaskID, decision: RoutingDecision, recordsEvent: Bool) {
            self.task = task
            self.decision = decision
            self.recordsEvent = recordsEvent
        }

        /// Whether applying this step to `task` changes the store: not when it keeps a task on
        /// the backlog for the reason it already waits for (the periodic pass and every write
        /// re-decide it; rewriting it would be a write on every pass).
        package func changes(_ task: QueueTask) -> Bool {
            guard case .wait(let reason) = decision else { return true }
            return !(task.queueName == nil && task.waitingReason == reason.description && !task.isPinned)
        }
    }

    /// Whether `task` needs routing: it is queued where no running worker will claim it.
    package static func needsRouting(_ task: QueueTask, in pool: WorkerPool) -> Bool {
        guard task.state == .queued else { return false }
        guard let queue = task.queueName else { return true }
        return !pool.isLive(queue)
    }

    /// The queued tasks a pass must see.
    ///
    /// The store reads these and not every queued task on every write: the stranded ones
    /// (backlog, or a queue no running worker holds), and the parked ones of the types in
    /// `movableTypes` (`WorkerPool.couldStartAtOnce`), but not the backlog tasks that already wait
    /// for the reason their type waits for (`settledWaits`). `plan` gives the same steps for these
    /// as for all queued tasks, but for the steps that change nothing (`Step.changes`), so a long
    /// backlog costs a write nothing while nothing can take it.
    package struct Candidates: Equatable, Sendable {
        /// The queues of running workers: a queued task elsewhere is stranded.
        package var liveQueues: Set<QueueName>
        /// The worker types whose parked tasks may move.
        package var movableTypes: Set<WorkerPool.TypeKey>
        /// The worker types whose tasks wait on the backlog whatever the pass does, with the
        /// reason (its description) they wait for.
        package var settledWaits: [WorkerPool.TypeKey: String]

        /// Whether the pass must see `task`.
        package func contains(_ task: QueueTask) -> Bool {
            guard task.state == .queued else { return false }
            let type = WorkerPool.TypeKey(project: task.projectId, type: task.workerType)
            guard let queue = task.queueName else {
                return readsBacklog(of: type, waitingFor: task.waitingReason, isPinned: task.isPinned)
            }
            guard liveQueues.contains(queue) else { return true }
            return !task.isPinned && movableTypes.contains(type)
        }

        /// Whether the pass must see the backlog tasks of `type` that wait for `reason`.
        package func readsBacklog(of type: WorkerPool.TypeKey, waitingFor reason: String?, isPinned: Bool) -> Bool {
            isPinned || reason == nil || settledWaits[type] != reason
        }
    }

    /// What a pass over `pool` must read.
    ///
    /// A type waits whatever the pass does when it waits now: a pass only fills the pool, and a
    /// wait's reason is fixed by the type's cap, crash-looped workers, auto-spawn and the server's
    /// cap, which filling cannot lift. Except a wait for a free worker id, which turns into a
    /// wait for the server's cap once other types' spawns reach it: such a type is not settled.
    package static func candidates(in pool: WorkerPool) -> Candidates {
        let live = pool.members.filter(\.status.isRunning)
        let types = Set(pool.maxWorkers.keys.filter { pool.couldStartAtOnce($0.type, in: $0.project) })
        var settled: [WorkerPool.TypeKey: String] = [:]
        for key in pool.maxWorkers.keys {
            var trial = pool
            if case .wait(let reason) = trial.route(key.type, in: key.project), !reason.isNoFreeWorkerID {
                settled[key] = reason.description
            }
        }
        return Candidates(
            liveQueues: Set(live.map(\.identity.queueName)),
            movableTypes: types,
            settledWaits: settled
        )
    }

    /// Routes every task of `tasks` that needs it, then moves waiting ones a worker could start
    /// on at once, updating `pool` as it goes.
    /// - Parameters:
    ///   - tasks: Queued tasks, on any queue or the backlog.
    ///   - pool: The workers and caps, changed as each decision will change the store.
    /// - Returns: One step per task that moves, in the order applied.
    package static func plan(_ tasks: [QueueTask], pool: inout WorkerPool) -> [Step] {
        let queued = tasks.filter { $0.state == .queued }.sorted {
            ($0.priority.rank, -$0.id.rawValue) > ($1.priority.rank, -$1.id.rawValue)
        }
        let (stranded, parked) = (
            queued.filter { needsRouting($0, in: pool) }, queued.filter { !needsRouting($0, in: pool) }
        )
        let routed = stranded.map { task in
            let decision = pool.route(task.workerType, in: task.projectId)
            let recordsEvent: Bool =
                if case .wait(let reason) = decision { reason.description != task.waitingReason } else { false }
            return Step(task: task.id, decision: decision, recordsEvent: recordsEvent)
        }
        let moved = parked.compactMap { task -> Step? in
            guard !task.isPinned, let queue = task.queueName,
                let decision = pool.reroute(task.workerType, in: task.projectId, from: queue)
            else { return nil }
            return Step(task: task.id, decision: decision, recordsEvent: false)
        }
        return routed + moved
    }
}
