import EnsembleCore

/// `mark_events_processed`: acknowledges events so they no longer show as unprocessed.
struct MarkEventsProcessedTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "mark_events_processed",
        title: "Mark events processed",
        description: """
            Mark events as processed. Idempotent: ids already processed are reported as such, and unknown \
            ids are reported rather than rejected.
            """,
        parameters: [.required("event_ids", .integerList, "The ids of the events to mark.")],
        effect: .idempotentChange
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let ids = (arguments.integers("event_ids") ?? []).map { EventID(Int64($0)) }
        return try await context.repository.markEventsProcessed(ids)
    }
}
