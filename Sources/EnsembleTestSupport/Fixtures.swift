package import EnsembleCore
package import Foundation

/// Ready-made domain inputs, so tests state only what they are about.
package enum Fixtures {
    /// A project named `name` rooted at `path`.
    package static func project(_ name: String = "acme/shop", path: String) throws -> NewProject {
        NewProject(repositoryName: try ProjectID(validating: name), path: path, description: "A test project")
    }

    /// A worker type `name` of `project` with a one-line prompt.
    package static func workerType(_ name: String, in project: String = "acme/shop") throws -> NewWorkerType {
        try NewWorkerType(
            projectId: ProjectID(validating: project),
            workerType: WorkerTypeName(validating: name),
            systemPrompt: "You are the \(name)."
        )
    }

    /// A ticket of `project` with `plan`.
    package static func ticket(
        in project: String = "acme/shop",
        id: String? = nil,
        plan: [String] = ["planner", "coder", "reviewer"],
        priority: TicketPriority = .medium
    ) throws -> NewTicket {
        try NewTicket(
            projectId: ProjectID(validating: project),
            ticketId: id.map { try TicketID(validating: $0) },
            title: "Add a search box",
            description: "Users need to search products by name.",
            executionPlan: plan.map { try WorkerTypeName(validating: $0) },
            priority: priority
        )
    }

    /// Task `id` of `acme/shop` (ticket `SHOP-<id>`, stage 0), for the rules that read tasks.
    package static func task(
        _ id: Int64 = 1,
        type: String = "coder",
        queue: String?,
        state: TaskState = .queued,
        priority: TicketPriority = .medium,
        waiting: String? = nil,
        at now: Date = Date(timeIntervalSince1970: 1_764_590_400)
    ) -> QueueTask {
        QueueTask(
            id: TaskID(id),
            projectId: ProjectID(uncheckedRawValue: "acme/shop"),
            workerType: WorkerTypeName(uncheckedRawValue: type),
            queueName: queue.map(QueueName.init(uncheckedRawValue:)),
            ticketId: TicketID(uncheckedRawValue: "SHOP-\(id)"),
            stage: 0,
            state: state,
            attempt: 0,
            maxAttempts: 3,
            claimedBy: nil,
            leaseExpiresAt: nil,
            priority: priority,
            lastError: nil,
            waitingReason: waiting,
            createdAt: now,
            updatedAt: now
        )
    }
}
