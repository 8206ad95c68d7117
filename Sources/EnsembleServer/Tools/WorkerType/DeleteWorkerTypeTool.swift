import EnsembleCore

/// `delete_worker_type`: removes a worker type no open ticket plans.
struct DeleteWorkerTypeTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "delete_worker_type",
        title: "Delete worker type",
        description: "Delete a worker type. Refused while an open ticket's execution plan names it or its workers run.",
        parameters: [.projectID(required: true), .workerType],
        effect: .idempotentChange
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let project: ProjectID = try arguments.requiredIdentifier("project_id")
        let name: WorkerTypeName = try arguments.requiredIdentifier("worker_type")
        try await context.repository.deleteWorkerType(name, in: project)
        return Deletion(projectId: project, workerType: name, deleted: true)
    }

    private struct Deletion: Encodable {
        var projectId: ProjectID
        var workerType: WorkerTypeName
        var deleted: Bool
    }
}
