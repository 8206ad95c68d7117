package import Foundation

/// A worker: one headless Claude Code process (re-spawned as needed) bound to its own queue.
package struct Worker: Equatable, Sendable, Codable {
    /// What is known about the worker's current or last process.
    package struct Process: Equatable, Sendable, Codable {
        package var pid: Int32?
        /// The kernel's start time of `pid`, so a recycled pid is never mistaken for ours.
        package var processStartedAt: String?
        package var startedAt: Date?
        package var lastActivity: Date?
        package var exitCode: Int32?
        package var exitSignal: Int32?
        package var runCount: Int
        package var sessionId: String?
        package var logPath: String?

        package init(
            pid: Int32? = nil,
            processStartedAt: String? = nil,
            startedAt: Date? = nil,
            lastActivity: Date? = nil,
            exitCode: Int32? = nil,
            exitSignal: Int32? = nil,
            runCount: Int = 0,
            sessionId: String? = nil,
            logPath: String? = nil
        ) {
            self.pid = pid
            self.processStartedAt = processStartedAt
            self.startedAt = startedAt
            self.lastActivity = lastActivity
            self.exitCode = exitCode
            self.exitSignal = exitSignal
            self.runCount = runCount
            self.sessionId = sessionId
            self.logPath = logPath
        }
    }

    package var identity: WorkerIdentity
    package var status: WorkerStatus
    /// Why the worker is in its status, such as the exit code of a failed process.
    package var statusReason: String?
    /// Whether this failed worker stops routing from spawning its type (it was crash-looping).
    package var autoSpawnBlocked: Bool
    package var process: Process
    package var usage: WorkerUsage
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        identity: WorkerIdentity,
        status: WorkerStatus,
        statusReason: String? = nil,
        autoSpawnBlocked: Bool = false,
        process: Process,
        usage: WorkerUsage,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.identity = identity
        self.status = status
        self.statusReason = statusReason
        self.autoSpawnBlocked = autoSpawnBlocked
        self.process = process
        self.usage = usage
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    package var id: WorkerID { identity.workerId }

    private enum CodingKeys: String, CodingKey {
        case workerId, projectId, workerType, queueName, status, statusReason, autoSpawnBlocked, process, usage,
            createdAt, updatedAt
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        identity = WorkerIdentity(
            workerId: try container.decode(WorkerID.self, forKey: .workerId),
            projectId: try container.decode(ProjectID.self, forKey: .projectId),
            workerType: try container.decode(WorkerTypeName.self, forKey: .workerType),
            queueName: try container.decode(QueueName.self, forKey: .queueName)
        )
        status = try container.decode(WorkerStatus.self, forKey: .status)
        statusReason = try container.decodeIfPresent(String.self, forKey: .statusReason)
        autoSpawnBlocked = try container.decode(Bool.self, forKey: .autoSpawnBlocked)
        process = try container.decode(Process.self, forKey: .process)
        usage = try container.decode(WorkerUsage.self, forKey: .usage)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        updatedAt = try container.decode(Date.self, forKey: .updatedAt)
    }

    /// Encodes the identity flat, beside status, process and usage.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(identity.workerId, forKey: .workerId)
        try container.encode(identity.projectId, forKey: .projectId)
        try container.encode(identity.workerType, forKey: .workerType)
        try container.encode(identity.queueName, forKey: .queueName)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(statusReason, forKey: .statusReason)
        try container.encode(autoSpawnBlocked, forKey: .autoSpawnBlocked)
        try container.encode(process, forKey: .process)
        try container.encode(usage, forKey: .usage)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
