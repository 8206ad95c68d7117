import EnsembleCore

/// `spawn_worker`: starts a worker process with its own queue.
struct SpawnWorkerTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "spawn_worker",
        title: "Spawn worker",
        description: """
            Start a headless Claude Code worker of a worker type, with its own queue (worker_<type>_<n> owns \
            queue_<type>_<n>). Tasks of that type waiting without a worker move to its queue. Workers are also \
            spawned automatically when tickets need them; use this to add capacity or revive a failed worker.
            """,
        parameters: [
            .required("worker_id", .string, "The worker's id: worker_<worker_type>_<n>, e.g. worker_coder_1."),
            .projectID(required: true),
            .workerType,
        ],
        effect: .additive
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        try await context.ensemble.spawnWorker(
            try arguments.requiredIdentifier("worker_id"),
            project: try arguments.requiredIdentifier("project_id"),
            type: try arguments.requiredIdentifier("worker_type")
        )
    }
}
