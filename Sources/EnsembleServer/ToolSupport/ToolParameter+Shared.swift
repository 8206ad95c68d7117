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
