package import EnsembleCore

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
}
