import EnsembleCore

/// The settings parameters shared by `create_worker_type` and `update_worker_type`.
enum WorkerTypeParameters {
    static let settings: [ToolParameter] = [
        .optional("description", .text(.summary), "What this worker type is for."),
        .optional(
            "model",
            .string,
            "Claude model alias or name for its workers, e.g. 'sonnet'. Default: Claude Code's."
        ),
        .optional(
            "permission_mode",
            .oneOf(PermissionMode.allCases.map(\.rawValue)),
            "Claude Code permission mode for its workers. Default: acceptEdits."
        ),
        .optional(
            "allowed_tools",
            .stringList,
            "Claude Code tools its workers may use, e.g. [\"Read\", \"Edit\", \"Bash(git *)\"]. "
                + "Default: Read Edit Write Glob Grep Bash TodoWrite. The server's worker tools are always allowed."
        ),
        .optional("disallowed_tools", .stringList, "Claude Code tools its workers must not use."),
        .optional(
            "max_workers",
            .integer(
                minimum: WorkerTypeSettings.maxWorkersRange.lowerBound,
                maximum: WorkerTypeSettings.maxWorkersRange.upperBound
            ),
            "How many workers of this type may run at once when spawned automatically. Default: 1."
        ),
        .optional(
            "stage_timeout_seconds",
            .integer(
                minimum: WorkerTypeSettings.stageTimeoutRange.lowerBound,
                maximum: WorkerTypeSettings.stageTimeoutRange.upperBound
            ),
            "How long one stage may run without output before the worker is stopped. Default: 1800."
        ),
        .optional(
            "sandbox",
            .boolean,
            "Run its workers' Bash in Claude Code's sandbox: writes only in the project, no network or "
                + "server data; the worker does not start where no sandbox is available (Linux needs bubblewrap "
                + "and socat). Default: false."
        ),
        .optional(
            "can_create_tickets",
            .boolean,
            "Let its workers declare new tickets when they complete a stage (complete_ticket_stage's "
                + "new_tickets), e.g. for a planner that breaks work down into dependent tickets. Default: false."
        ),
        .optional(
            "session",
            .oneOf(WorkerSession.allCases.map(\.rawValue)),
            "per_task: a fresh Claude Code session for each task, so nothing of one ticket reaches the next "
                + "(the default). per_queue: one session works through the whole queue, only in projects with "
                + "isolation 'none'."
        ),
    ]
}
