/// Every worker as routing sees it, with the caps that bound them: the input of the routing rule.
///
/// Routing a task changes the pool as applying the decision will change the store (a queue grows,
/// a worker is marked to start), so one pass can route many tasks in order and each decision sees
/// the ones before it. Pure: the store loads it, routes, and applies the decisions in the same
/// transaction.
package struct WorkerPool: Equatable, Sendable {
    /// A worker, its status and how many tasks its queue holds (queued or claimed).
    package struct Member: Equatable, Sendable {
        package var identity: WorkerIdentity
        package var status: WorkerStatus
        package var autoSpawnBlocked: Bool
        package var pendingTasks: Int

        package init(identity: WorkerIdentity, status: WorkerStatus, autoSpawnBlocked: Bool, pendingTasks: Int) {
            self.identity = identity
            self.status = status
            self.autoSpawnBlocked = autoSpawnBlocked
            self.pendingTasks = pendingTasks
        }
    }

    /// A worker type of a project.
    package struct TypeKey: Hashable, Sendable {
        package var project: ProjectID
        package var type: WorkerTypeName

        package init(project: ProjectID, type: WorkerTypeName) {
            self.project = project
            self.type = type
        }
    }

    /// Every worker of every project, ordered by id (ids are global).
    package private(set) var members: [Member]
    /// The `max_workers` of every worker type that exists.
    package var maxWorkers: [TypeKey: Int]
    package var policy: RoutingPolicy

    // MARK: - Initialization

    package init(members: [Member], maxWorkers: [TypeKey: Int], policy: RoutingPolicy) {
        self.members = members.sorted { $0.identity.workerId < $1.identity.workerId }
        self.maxWorkers = maxWorkers
        self.policy = policy
    }

    /// The pool of `workers`, given how many tasks each queue holds (queued or claimed).
    package init(
        workers: [Worker],
        pendingTasks: [QueueName: Int],
        maxWorkers: [TypeKey: Int],
        policy: RoutingPolicy
    ) {
        self.init(
            members: workers.map {
                Member(
                    identity: $0.identity,
                    status: $0.status,
                    autoSpawnBlocked: $0.autoSpawnBlocked,
                    pendingTasks: pendingTasks[$0.identity.queueName] ?? 0
                )
            },
            maxWorkers: maxWorkers,
            policy: policy
        )
    }

    // MARK: - Queries

    /// How many workers run or are starting, across all projects.
    package var runningCount: Int { members.count { $0.status.isRunning } }

    /// Whether `queue` belongs to a worker that runs or is starting, so a task on it will be claimed.
    package func isLive(_ queue: QueueName) -> Bool {
        members.contains { $0.identity.queueName == queue && $0.status.isRunning }
    }

    // MARK: - Routing

    /// Routes one task of `type` in `project` and records the decision in the pool.
    ///
    /// Preference: a running worker of the type with an empty queue; else, with auto-spawn on,
    /// below the type's `max_workers` and the server's cap, and no crash-looped worker of the
    /// type, a finished (or plainly failed) worker started again or a new `worker_<type>_<n>`;
    /// else the running worker with the shortest queue; else the backlog, with the reason.
    package mutating func route(_ type: WorkerTypeName, in project: ProjectID) -> RoutingDecision {
        let key = TypeKey(project: project, type: type)
        guard let cap = maxWorkers[key] else { return .wait(.workerTypeMissing(type, project: project)) }
        let ofType = members.indices.filter {
            members[$0].identity.projectId == project && members[$0].identity.workerType == type
        }
        let live = ofType.filter { members[$0].status.isRunning }
        if let idle = live.first(where: { members[$0].pendingTasks == 0 }) {
            return assign(to: idle)
        }
        let blocked = ofType.first { members[$0].status == .failed && members[$0].autoSpawnBlocked }
        let running = runningCount
        if policy.autoSpawn, blocked == nil, running < policy.maxRunningWorkers, live.count < cap {
            let reusable =
                ofType.first { members[$0].status == .finished } ?? ofType.first { members[$0].status == .failed }
            if let reusable {
                members[reusable].status = .spawning
                members[reusable].pendingTasks += 1
                return .spawn(members[reusable].identity.workerId, isNew: false)
            }
            if let id = WorkerNaming.nextWorkerID(type: type, taken: members.map(\.identity.workerId)) {
                insert(
                    Member(
                        identity: WorkerIdentity(
                            workerId: id,
                            projectId: project,
                            workerType: type,
                            queueName: WorkerNaming.queueName(for: id)
                        ),
                        status: .spawning,
                        autoSpawnBlocked: false,
                        pendingTasks: 1
                    )
                )
                return .spawn(id, isNew: true)
            }
        }
        if let shortest = live.min(by: { members[$0].pendingTasks < members[$1].pendingTasks }) {
            return assign(to: shortest)
        }
        if !policy.autoSpawn { return .wait(.autoSpawnOff(type)) }
        if let blocked { return .wait(.crashLooped(type, worker: members[blocked].identity.workerId)) }
        if running >= policy.maxRunningWorkers {
            return .wait(.globalCap(limit: policy.maxRunningWorkers))
        }
        return .wait(.noFreeWorkerID(type))
    }

    /// Routes again a task that waits on `queue` behind other work there, when a worker could
    /// start on it at once: an idle one, or one to spawn (capacity freed since it was queued).
    ///
    /// It never moves to another busy queue, so tasks do not wander between queues.
    /// - Returns: Where it goes, or `nil` when it stays (the pool is then unchanged).
    package mutating func reroute(_ type: WorkerTypeName, in project: ProjectID, from queue: QueueName)
        -> RoutingDecision?
    {
        guard let index = members.firstIndex(where: { $0.identity.queueName == queue }),
            members[index].status.isRunning, members[index].pendingTasks >= 2
        else { return nil }
        let idle = Set(members.filter { $0.status.isRunning && $0.pendingTasks == 0 }.map(\.identity.queueName))
        var trial = self
        trial.members[index].pendingTasks -= 1
        let decision = trial.route(type, in: project)
        switch decision {
        case .spawn:
            self = trial
            return decision
        case .assign(let target) where target != queue && idle.contains(target):
            self = trial
            return decision
        case .assign, .wait:
            return nil
        }
    }

    /// Whether a task of `type` could start at once somewhere.
    ///
    /// True when a running worker of the type has an empty queue, or one may be spawned.
    /// `reroute` moves nothing otherwise, and routing only fills the pool, so a pass need not
    /// read the parked tasks of any other type.
    package func couldStartAtOnce(_ type: WorkerTypeName, in project: ProjectID) -> Bool {
        guard let cap = maxWorkers[TypeKey(project: project, type: type)] else { return false }
        let ofType = members.filter { $0.identity.projectId == project && $0.identity.workerType == type }
        let live = ofType.filter(\.status.isRunning)
        if live.contains(where: { $0.pendingTasks == 0 }) { return true }
        let blocked = ofType.contains { $0.status == .failed && $0.autoSpawnBlocked }
        return policy.autoSpawn && !blocked && runningCount < policy.maxRunningWorkers && live.count < cap
    }

    // MARK: - Private helpers

    private mutating func assign(to index: Int) -> RoutingDecision {
        members[index].pendingTasks += 1
        return .assign(members[index].identity.queueName)
    }

    private mutating func insert(_ member: Member) {
        let index = members.firstIndex { $0.identity.workerId > member.identity.workerId } ?? members.endIndex
        members.insert(member, at: index)
    }
}
