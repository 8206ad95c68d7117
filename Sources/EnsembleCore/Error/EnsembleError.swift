/// What can go wrong with a request in the domain: bad input, a missing or duplicate record, or an
/// operation the current state does not allow.
///
/// Each case reads as one actionable sentence, because tools show it to the model verbatim.
/// Infrastructure failures (the disk, SQLite) are not domain errors; see the store's own error.
package enum EnsembleError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidIdentifier(kind: String, value: String, maximumLength: Int = IdentifierRules.maximumLength)
    case invalidArgument(String)
    case pathNotFound(String)
    case notADirectory(String)
    case projectNotFound(ProjectID)
    case projectAlreadyExists(ProjectID)
    case projectHasActiveWorkers(ProjectID, workers: [WorkerID])
    case workerTypeNotFound(ProjectID, WorkerTypeName)
    case workerTypeAlreadyExists(ProjectID, WorkerTypeName)
    case workerTypeInUse(ProjectID, WorkerTypeName, tickets: [TicketID])
    case unknownWorkerTypesInPlan(ProjectID, [WorkerTypeName])
    case ticketNotFound(TicketID)
    case ticketAlreadyExists(TicketID)
    case ticketClosed(TicketID)
    case stageOutOfRange(TicketID, stage: Int, stageCount: Int)
    case workerTypeNotInPlan(TicketID, WorkerTypeName, plan: [WorkerTypeName])
    case workerNotFound(WorkerID)
    case workerAlreadyRunning(WorkerID)
    case workerCannotStart(WorkerID, reason: String)
    case queueNotFound(QueueName)
    case queueInUse(QueueName, worker: WorkerID)
    case notYourQueue(QueueName, yours: QueueName)
    case ticketNotInYourQueue(TicketID, QueueName)
    case taskNotFound(TaskID)
    case taskNotClaimed(TaskID, state: TaskState)
    case staleClaim(TaskID, reason: String)
    case taskOfOtherTicket(TaskID, TicketID)
    case noPreviousStage(TicketID)
    case stageNeedsOtherWorkerType(TicketID, stage: Int, needs: WorkerTypeName, queue: QueueName)
    case queueOfOtherProject(QueueName, project: ProjectID, ticket: TicketID)
    case dependencyOnItself(TicketID)
    case dependencyOfOtherProject(TicketID, dependsOn: TicketID, project: ProjectID)
    case dependencyAlreadyExists(TicketID, dependsOn: TicketID)
    case dependencyNotFound(TicketID, dependsOn: TicketID)
    case dependencyStopped(TicketID, dependsOn: TicketID)
    case newTicketOnStoppedDependency(TicketID)
    case dependencyCycle(TicketID, dependsOn: TicketID, cycle: [TicketID])
    case ticketBusy(TicketID, stage: Int)
    case ticketMerging(TicketID)
    case ticketBlocked(TicketID, waitingFor: [TicketID])
    case cannotCreateTickets(WorkerTypeName)
    case ticketsTooDeep(TicketID, depth: Int)

    package var description: String {
        switch self {
        case .invalidIdentifier(let kind, let value, let maximumLength):
            let shape = kind == ProjectID.kind ? " (one '/' is allowed, as in owner/repo)" : ""
            return "'\(value)' is not a valid \(kind): use 1-\(maximumLength) letters, digits, '_', '.' or '-', "
                + "starting with a letter or digit\(shape)."
        case .invalidArgument(let message):
            return message
        case .pathNotFound(let path):
            return "Path '\(path)' does not exist. Give the absolute path of an existing directory."
        case .notADirectory(let path):
            return "Path '\(path)' is not a directory. Give the absolute path of the project's directory."
        case .projectNotFound(let id):
            return "Project '\(id)' not found. Call list_projects to see registered projects."
        case .projectAlreadyExists(let id):
            return "Project '\(id)' already exists. Call update_project to change it."
        case .projectHasActiveWorkers(let id, let workers):
            return "Project '\(id)' still has running workers (\(Self.list(workers))). "
                + "Stop them with stop_worker first."
        case .workerTypeNotFound(let project, let type):
            return "Worker type '\(type)' not found in project '\(project)'. "
                + "Call list_worker_types to see the project's worker types."
        case .workerTypeAlreadyExists(let project, let type):
            return "Worker type '\(type)' already exists in project '\(project)'. Call update_worker_type to change it."
        case .workerTypeInUse(let project, let type, let tickets):
            return "Worker type '\(type)' of project '\(project)' is planned by open tickets (\(Self.list(tickets))). "
                + "Close those tickets first."
        case .unknownWorkerTypesInPlan(let project, let types):
            return "The execution plan names worker types that project '\(project)' does not have: "
                + "\(Self.list(types)). Create them with create_worker_type first."
        case .ticketNotFound(let id):
            return "Ticket '\(id)' not found. Call list_tickets to see tickets."
        case .ticketAlreadyExists(let id):
            return "Ticket '\(id)' already exists. Choose another ticket_id or omit it to have one generated."
        case .ticketClosed(let id):
            return "Ticket '\(id)' is closed, so it cannot change any more."
        case .stageOutOfRange(let id, let stage, let count):
            return
                "Stage \(stage) is out of range for ticket '\(id)': its plan has \(count) stages, numbered 0 to \(count - 1)."
        case .workerTypeNotInPlan(let id, let type, let plan):
            return "Worker type '\(type)' is not a stage of ticket '\(id)' (plan: \(Self.list(plan))). "
                + "Give a stage index or one of the plan's worker types."
        case .workerNotFound(let id):
            return "Worker '\(id)' not found. Call list_workers to see workers."
        case .workerAlreadyRunning(let id):
            return "Worker '\(id)' is already running. Stop it with stop_worker first, or spawn another id."
        case .workerCannotStart(let id, let reason):
            return "Worker '\(id)' could not start: \(reason)."
        case .queueNotFound(let queue):
            return "Queue '\(queue)' not found. Call list_queues to see queues."
        case .queueInUse(let queue, let worker):
            return
                "Queue '\(queue)' belongs to worker '\(worker)', which is still running. Stop it with stop_worker first."
        case .notYourQueue(let queue, let yours):
            return "Queue '\(queue)' is not yours: your queue is '\(yours)'."
        case .ticketNotInYourQueue(let ticket, let queue):
            return "Ticket '\(ticket)' has no task in your queue '\(queue)'. Work only on tickets from get_next_task."
        case .taskNotFound(let id):
            return "Task \(id) not found. Use the task_id that get_next_task returned."
        case .taskNotClaimed(let id, let state):
            return "Task \(id) is \(state.rawValue), not claimed by you: claim work with get_next_task first."
        case .staleClaim(let id, let reason):
            return
                "Task \(id) is no longer yours (\(reason)); nothing was changed. Call get_next_task for current work."
        case .taskOfOtherTicket(let id, let ticket):
            return
                "Task \(id) does not belong to ticket '\(ticket)'. Use the ticket_id and task_id from the same get_next_task."
        case .noPreviousStage(let ticket):
            return "Ticket '\(ticket)' is at its first stage, so prev_stage is impossible: use needs_attention instead."
        case .queueOfOtherProject(let queue, let project, let ticket):
            return "Queue '\(queue)' belongs to project '\(project)', not to ticket '\(ticket)''s project: "
                + "assign the ticket to a queue of its own project (list_queues)."
        case .stageNeedsOtherWorkerType(let ticket, let stage, let needs, let queue):
            return "Ticket '\(ticket)' is at stage \(stage), which needs a '\(needs)' worker, but queue '\(queue)' "
                + "belongs to another worker type."
        case .dependencyOnItself(let ticket):
            return "Ticket '\(ticket)' cannot depend on itself: name the tickets that must complete before it."
        case .dependencyOfOtherProject(let ticket, let dependency, let project):
            return "Ticket '\(dependency)' belongs to project '\(project)', not to ticket '\(ticket)''s project: "
                + "a ticket depends only on tickets of its own project."
        case .dependencyAlreadyExists(let ticket, let dependency):
            return "Ticket '\(ticket)' already depends on '\(dependency)'; nothing was changed."
        case .dependencyNotFound(let ticket, let dependency):
            return "Ticket '\(ticket)' does not depend on '\(dependency)': get_ticket lists its depends_on."
        case .dependencyStopped(let ticket, let dependency):
            return "Ticket '\(dependency)' was closed as stopped, so '\(ticket)' could never run after it: leave that "
                + "dependency out (remove_ticket_dependency), or close '\(ticket)'."
        case .newTicketOnStoppedDependency(let dependency):
            return "Ticket '\(dependency)' was closed as stopped, so a ticket depending on it could never run: "
                + "leave it out of depends_on."
        case .dependencyCycle(let ticket, let dependency, let cycle):
            return "Ticket '\(ticket)' cannot depend on '\(dependency)': that would close the cycle "
                + "\(cycle.map(\.description).joined(separator: " → ")), and tickets in a cycle wait for ever."
        case .ticketBusy(let ticket, let stage):
            return "A worker is doing stage \(stage) of ticket '\(ticket)' now: add the dependency once that stage "
                + "completes, or move the ticket with update_ticket_stage first."
        case .ticketMerging(let ticket):
            return "Ticket '\(ticket)' has done every stage and waits to be merged into its base branch: wait for "
                + "ticket_merged (or a merge problem that sends it back), or move it with update_ticket_stage."
        case .cannotCreateTickets(let type):
            return "Worker type '\(type)' may not create tickets (its can_create_tickets is false), so nothing was "
                + "recorded: complete the stage without new_tickets and describe the work in your report."
        case .ticketsTooDeep(let ticket, let depth):
            return "Ticket '\(ticket)' was itself declared \(depth) generations below a ticket the coordinator filed, "
                + "the most allowed, so it may not declare more: complete the stage without new_tickets and "
                + "describe the remaining work in your report, or use needs_attention for the coordinator."
        case .ticketBlocked(let ticket, let waiting):
            return "Ticket '\(ticket)' waits for \(Self.list(waiting)) to complete, so no stage of it can run yet: it "
                + "starts by itself once they have (one on hold: resume it with update_ticket_stage and it waits "
                + "blocked), or remove those dependencies with remove_ticket_dependency."
        }
    }

    private static func list(_ items: [some CustomStringConvertible]) -> String {
        items.map(\.description).joined(separator: ", ")
    }
}
