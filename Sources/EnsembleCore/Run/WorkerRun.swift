package import Foundation

/// One `claude -p` process of a worker, as recorded in `runs`: the task it was started for (a
/// per-task session) and how it ended.
///
/// The run id is also the Claude Code session id (`--session-id`) and the `VIBE_ENSEMBLE_RUN_ID`
/// its processes carry.
package struct WorkerRun: Equatable, Sendable, Codable {
    package var runId: String
    package var workerId: WorkerID
    package var workerType: WorkerTypeName
    /// The task a per-task run was started for; `nil` for a per-queue run.
    package var taskId: TaskID?
    package var ticketId: TicketID?
    package var stage: Int?
    package var startedAt: Date
    package var endedAt: Date?
    package var exitCode: Int32?
    package var exitSignal: Int32?
    /// The `subtype` of its `result` line, such as `success` or `error_max_turns`.
    package var resultSubtype: String?
    package var isError: Bool?
    package var permissionDenials: Int
    package var usage: RunUsage
    package var logPath: String?

    package init(
        runId: String,
        workerId: WorkerID,
        workerType: WorkerTypeName,
        taskId: TaskID? = nil,
        ticketId: TicketID? = nil,
        stage: Int? = nil,
        startedAt: Date,
        endedAt: Date? = nil,
        exitCode: Int32? = nil,
        exitSignal: Int32? = nil,
        resultSubtype: String? = nil,
        isError: Bool? = nil,
        permissionDenials: Int = 0,
        usage: RunUsage = RunUsage(),
        logPath: String? = nil
    ) {
        self.runId = runId
        self.workerId = workerId
        self.workerType = workerType
        self.taskId = taskId
        self.ticketId = ticketId
        self.stage = stage
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.exitCode = exitCode
        self.exitSignal = exitSignal
        self.resultSubtype = resultSubtype
        self.isError = isError
        self.permissionDenials = permissionDenials
        self.usage = usage
        self.logPath = logPath
    }
}
