import EnsembleCore

/// `list_workers`: workers with status, process, queue length and cost.
struct ListWorkersTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "list_workers",
        title: "List workers",
        description: "List workers with their status, pid, queue counts, cost and token totals.",
        parameters: [.projectID(required: false, "Only this project's workers.")],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let workers = try await context.repository.listWorkers(in: try arguments.identifier("project_id"))
        return WorkerList(workers: workers, count: workers.count)
    }

    private struct WorkerList: Encodable {
        var workers: [WorkerReport]
        var count: Int
    }
}
