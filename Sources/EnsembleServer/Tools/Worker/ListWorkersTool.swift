import EnsembleCore

/// `list_workers`: workers with status, process, queue length and cost.
struct ListWorkersTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "list_workers",
        title: "List workers",
        description: """
            List workers by id with their status, pid, queue counts, cost and token totals, a page at a time: \
            next_cursor (null on the last page) is the cursor of the next page.
            """,
        parameters: [.projectID(required: false, "Only this project's workers."), .pageLimit, .pageCursor],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let workers = try await context.repository.listWorkers(in: try arguments.identifier("project_id"))
        let page = Page(of: workers, try arguments.pageRequest()) {
            PageCursor(key: $0.worker.id.rawValue, id: $0.worker.id.rawValue)
        }
        return PagedList(key: "workers", page)
    }
}
