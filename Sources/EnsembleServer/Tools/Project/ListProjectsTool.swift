import EnsembleCore

/// `list_projects`: every registered project.
struct ListProjectsTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "list_projects",
        title: "List projects",
        description: """
            List the registered projects by repository name, a page at a time: next_cursor (null on the \
            last page) is the cursor of the next page.
            """,
        parameters: [.pageLimit, .pageCursor],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let page = Page(of: try await context.repository.listProjects(), try arguments.pageRequest()) {
            PageCursor(key: $0.repositoryName.rawValue, id: $0.repositoryName.rawValue)
        }
        return PagedList(key: "projects", page)
    }
}
