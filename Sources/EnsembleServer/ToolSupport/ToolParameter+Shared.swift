import EnsembleCore

extension ToolParameter {
    /// The project a tool acts on, by repository name.
    static func projectID(required: Bool, _ description: String = "The project's repository name, e.g. 'acme/shop'.")
        -> ToolParameter
    {
        ToolParameter(name: "project_id", kind: .string, description: description, isRequired: required)
    }

    /// A worker type's name.
    static let workerType = ToolParameter.required(
        "worker_type",
        .string,
        "The worker type's name, e.g. 'planner', 'coder' or 'reviewer'."
    )

    /// A ticket's id.
    static let ticketID = ToolParameter.required("ticket_id", .string, "The ticket's id, e.g. 'SHOP-12'.")
}

extension ToolParameter {
    /// The page size of a paginated list.
    static let pageLimit = ToolParameter.optional(
        "limit",
        .integer(minimum: PageRequest.limitRange.lowerBound, maximum: PageRequest.limitRange.upperBound),
        "Most items in this page. Default: \(PageRequest.defaultLimit)."
    )

    /// Where a paginated list resumes.
    static let pageCursor = ToolParameter.optional(
        "cursor",
        .string,
        "The next_cursor of the previous page, to read the next one; omit it for the first page."
    )
}

extension ToolArguments {
    /// The page `limit` and `cursor` ask for.
    /// - Throws: `EnsembleError.invalidArgument` for a cursor this server did not give.
    func pageRequest() throws(EnsembleError) -> PageRequest {
        try PageRequest(
            after: try string("cursor").map { text throws(EnsembleError) in try PageCursor(text: text) },
            limit: integer("limit") ?? PageRequest.defaultLimit
        )
    }
}
