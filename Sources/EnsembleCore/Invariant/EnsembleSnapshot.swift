/// Everything the store holds about tickets, tasks, workers and events at one moment, read in one
/// transaction: the input of `EnsembleInvariants`.
package struct EnsembleSnapshot: Equatable, Sendable {
    package var tickets: [Ticket]
    package var tasks: [QueueTask]
    package var workers: [Worker]
    package var workerTypes: [WorkerType]
    package var events: [Event]
    /// Which ticket depends on which.
    package var dependencies: [TicketDependency]
    /// The routing policy the store runs with.
    package var policy: RoutingPolicy

    package init(
        tickets: [Ticket],
        tasks: [QueueTask],
        workers: [Worker],
        workerTypes: [WorkerType],
        events: [Event],
        dependencies: [TicketDependency] = [],
        policy: RoutingPolicy
    ) {
        self.tickets = tickets
        self.tasks = tasks
        self.workers = workers
        self.workerTypes = workerTypes
        self.events = events
        self.dependencies = dependencies
        self.policy = policy
    }

    /// The workers and caps as routing sees them now.
    package var pool: WorkerPool {
        var pending: [QueueName: Int] = [:]
        for task in tasks where task.state == .queued || task.state == .claimed {
            if let queue = task.queueName { pending[queue, default: 0] += 1 }
        }
        return WorkerPool(
            workers: workers,
            pendingTasks: pending,
            maxWorkers: Dictionary(
                workerTypes.map {
                    (WorkerPool.TypeKey(project: $0.projectId, type: $0.workerType), $0.settings.maxWorkers)
                }
            ) { $1 },
            policy: policy
        )
    }
}
