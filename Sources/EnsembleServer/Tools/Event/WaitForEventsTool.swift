import EnsembleCore

/// `wait_for_events`: returns as soon as there is an unprocessed event, instead of polling.
struct WaitForEventsTool: ToolHandler {
    /// The longest wait a call may ask for.
    static let maximumTimeout = 300

    static let definition = ToolDefinition(
        name: "wait_for_events",
        title: "Wait for events",
        description: """
            Wait until an unprocessed event exists (optionally of some types) and return the unprocessed events, \
            oldest first; or return an empty list after timeout_seconds. Keep the timeout below your MCP client's \
            tool timeout (Claude Code's default is 60 s).
            """,
        parameters: [
            .optional(
                "timeout_seconds",
                .integer(minimum: 0, maximum: maximumTimeout),
                "How long to wait at most. Default: 30."
            ),
            .optional("event_types", .stringList, "Only wait for and return these event types."),
        ],
        effect: .readOnly,
        waits: true
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let types = try arguments.eventTypes("event_types")
        let query = try EventQuery(processed: false, types: types)
        let deadline = ContinuousClock.now + .seconds(arguments.integer("timeout_seconds") ?? 30)
        while true {
            let generation = context.events.generation
            let events = try await context.repository.events(matching: query)
            let remaining = deadline - ContinuousClock.now
            if !events.isEmpty || remaining <= .zero || Task.isCancelled {
                return Wait(events: events, count: events.count, timedOut: events.isEmpty)
            }
            await context.events.wait(after: generation, timeout: remaining)
        }
    }

    private struct Wait: Encodable {
        var events: [Event]
        var count: Int
        var timedOut: Bool
    }
}
