import EnsembleCore

/// `list_worker_types`: the worker types of one project or of all.
struct ListWorkerTypesTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "list_worker_types",
        title: "List worker types",
        description: """
            List the worker types of a project, or of every project when project_id is left out, a page at a \
            time: next_cursor (null on the last page) is the cursor of the next page.
            """,
        parameters: [.projectID(required: false, "Only this project's worker types."), .pageLimit, .pageCursor],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let types = try await context.repository.listWorkerTypes(in: try arguments.identifier("project_id"))
        let page = Page(of: types, try arguments.pageRequest()) {
            PageCursor(key: $0.projectId.rawValue, id: $0.workerType.rawValue)
        }
        return PagedList(key: "worker_types", page)
    }
}
