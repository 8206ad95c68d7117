import EnsembleCore

/// `list_worker_types`: the worker types of one project or of all.
struct ListWorkerTypesTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "list_worker_types",
        title: "List worker types",
        description: "List the worker types of a project, or of every project when project_id is left out.",
        parameters: [.projectID(required: false, "Only this project's worker types.")],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let types = try await context.repository.listWorkerTypes(in: try arguments.identifier("project_id"))
        return WorkerTypeList(workerTypes: types, count: types.count)
    }

    private struct WorkerTypeList: Encodable {
        var workerTypes: [WorkerType]
        var count: Int
    }
}
