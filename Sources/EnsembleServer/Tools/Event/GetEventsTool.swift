import EnsembleCore

/// `get_events`: what happened, oldest first.
struct GetEventsTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "get_events",
        title: "Get events",
        description: """
            List events (ticket created, stage completed, ticket completed, worker failed, …), oldest first. \
            By default only unprocessed ones; call mark_events_processed once you have acted on them.
            """,
        parameters: [
            .optional("processed", .boolean, "false (default): unprocessed events; true: processed ones."),
            .optional("since_id", .integer(minimum: 0, maximum: nil), "Only events with a larger id."),
            .optional(
                "limit",
                .integer(minimum: EventQuery.limitRange.lowerBound, maximum: EventQuery.limitRange.upperBound),
                "At most this many events. Default: \(EventQuery.defaultLimit)."
            ),
            .optional(
                "event_types",
                .stringList,
                "Only these types: \(EventType.allCases.map(\.rawValue).joined(separator: ", "))."
            ),
        ],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let types = try arguments.eventTypes("event_types")
        let query = try EventQuery(
            processed: arguments.boolean("processed") ?? false,
            sinceId: arguments.integer("since_id").map { EventID(Int64($0)) },
            types: types,
            limit: arguments.integer("limit") ?? EventQuery.defaultLimit
        )
        let events = try await context.repository.events(matching: query)
        return EventList(events: events, count: events.count)
    }

    private struct EventList: Encodable {
        var events: [Event]
        var count: Int
    }
}
