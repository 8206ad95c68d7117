import Foundation

/// How a worker type's `claude` processes run: model, permissions, tools and limits.
///
/// `nil` means "use the server's default" so a later change of default reaches existing types.
package struct WorkerTypeSettings: Equatable, Sendable, Codable {
    /// The allowed range of `max_workers`.
    package static let maxWorkersRange = 1...32
    /// The allowed range of `stage_timeout_seconds`.
    package static let stageTimeoutRange = 30...86_400
    /// The auto-spawn cap when a type does not set one.
    package static let defaultMaxWorkers = 1
    /// The stage timeout when a type does not set one: 30 minutes.
    package static let defaultStageTimeoutSeconds = 1_800

    package var model: String?
    package var permissionMode: PermissionMode?
    package var allowedTools: [String]?
    package var disallowedTools: [String]?
    package var maxWorkers: Int
    package var stageTimeoutSeconds: Int
    /// Whether its workers' `Bash` runs in Claude Code's sandbox.
    ///
    /// That is bubblewrap on Linux, Seatbelt on macOS: writes only in the project directory, no
    /// reading of the server's data directory, no network but what Claude Code allows. A worker
    /// refuses to start when no sandbox is available.
    package var sandbox: Bool
    /// Whether its workers may declare new tickets when they complete a stage (`new_tickets`):
    /// planners; off by default, so only the coordinator and the types it trusts add work.
    package var canCreateTickets: Bool
    /// A session per task (the default) or one per queue.
    package var session: WorkerSession

    package init(
        model: String? = nil,
        permissionMode: PermissionMode? = nil,
        allowedTools: [String]? = nil,
        disallowedTools: [String]? = nil,
        maxWorkers: Int = defaultMaxWorkers,
        stageTimeoutSeconds: Int = defaultStageTimeoutSeconds,
        sandbox: Bool = false,
        canCreateTickets: Bool = false,
        session: WorkerSession = .perTask
    ) {
        self.model = model
        self.permissionMode = permissionMode
        self.allowedTools = allowedTools
        self.disallowedTools = disallowedTools
        self.maxWorkers = maxWorkers
        self.stageTimeoutSeconds = stageTimeoutSeconds
        self.sandbox = sandbox
        self.canCreateTickets = canCreateTickets
        self.session = session
    }

    /// Checks every field against the rules that keep it safe to pass to `claude` as one argv element.
    /// - Throws: `EnsembleError.invalidArgument` naming the first offending field.
    package func validate() throws(EnsembleError) {
        guard Self.maxWorkersRange.contains(maxWorkers) else {
            throw .invalidArgument(
                "max_workers must be between \(Self.maxWorkersRange.lowerBound) and \(Self.maxWorkersRange.upperBound)."
            )
        }
        guard Self.stageTimeoutRange.contains(stageTimeoutSeconds) else {
            throw .invalidArgument(
                "stage_timeout_seconds must be between \(Self.stageTimeoutRange.lowerBound) "
                    + "and \(Self.stageTimeoutRange.upperBound)."
            )
        }
        if let model, !Self.isSafeWord(model) {
            throw .invalidArgument(
                "model '\(model)' is not a valid model name: give an alias such as 'sonnet' or a full model name."
            )
        }
        for tool in (allowedTools ?? []) + (disallowedTools ?? []) where !Self.isSafeToolPattern(tool) {
            throw .invalidArgument(
                "Tool pattern '\(tool)' is not valid: give a tool name such as 'Read' or 'Bash(git *)', "
                    + "without line breaks or a leading '-'."
            )
        }
    }

    private static func isSafeWord(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 128 && !text.hasPrefix("-")
            && text.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }
    }

    private static func isSafeToolPattern(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return !trimmed.isEmpty && trimmed == text && text.count <= 512 && !text.hasPrefix("-")
            && text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
    }
}
