package import EnsembleCore
import Foundation

/// Builds the `claude -p` command line of a worker (SPEC §8.1), as argv elements only.
///
/// The worker's bearer token and system prompt are in its `WorkerRunFiles`: a `headersHelper`
/// prints the headers file when Claude Code connects, so the token is neither in the process list
/// nor in the environment of the commands the worker's tools run. Settings deny the worker's
/// own tools any reading or editing of the data directory (the database, tokens and logs).
package struct WorkerCommandBuilder: Sendable {
    /// The tools of this server that every worker may call.
    package static let workerTools = [
        "get_next_task", "get_queue_tasks", "get_ticket", "add_ticket_comment", "complete_ticket_stage",
    ]
    /// The built-in tools a worker may use when its type does not say.
    package static let defaultAllowedTools = ["Read", "Edit", "Write", "Glob", "Grep", "Bash", "TodoWrite"]
    /// The environment variable carrying the worker's id (not a secret).
    package static let workerIDVariable = "VIBE_ENSEMBLE_WORKER_ID"

    package var claudePath: String
    /// The MCP endpoint workers connect to, such as `http://127.0.0.1:3000/mcp`.
    ///
    /// It is read at each launch, since with `--port 0` it is known only once the server listens.
    package var serverURL: @Sendable () -> String
    /// The environment workers inherit (already stripped of what they must not see).
    package var baseEnvironment: [String: String]
    /// Whether the server runs as root, where `bypassPermissions` needs `IS_SANDBOX=1`.
    package var isRoot: Bool
    /// Absolute path patterns a worker's own tools must neither read nor edit: the data directory
    /// (`<dir>/**`) and the database files.
    package var protectedPaths: [String]
    /// Directories a sandboxed `Bash` cannot read at all: the data directory.
    package var sandboxHiddenDirectories: [String]

    package init(
        claudePath: String,
        serverURL: @escaping @Sendable () -> String,
        baseEnvironment: [String: String],
        isRoot: Bool,
        protectedPaths: [String] = [],
        sandboxHiddenDirectories: [String] = []
    ) {
        self.claudePath = claudePath
        self.serverURL = serverURL
        self.baseEnvironment = baseEnvironment
        self.isRoot = isRoot
        self.protectedPaths = protectedPaths
        self.sandboxHiddenDirectories = sandboxHiddenDirectories
    }

    /// The command for one run of `plan`'s worker.
    /// - Parameters:
    ///   - plan: The worker, its type and its project.
    ///   - files: The run's token and system prompt.
    ///   - sessionID: The run id, also Claude Code's session id.
    ///   - task: The task a per-task run was started for; `nil` for a run that works its whole queue.
    ///   - workingDirectory: Where it runs: the ticket's worktree, or by default the project's directory.
    /// - Returns: The argv, environment and working directory.
    package func command(
        for plan: WorkerLaunchPlan,
        files: WorkerRunFiles,
        sessionID: String,
        task: ClaimedTask? = nil,
        workingDirectory: String? = nil
    ) -> WorkerCommand {
        let settings = plan.workerType.settings
        let mode = settings.permissionMode ?? .standard
        var arguments = [
            "-p", WorkerPrompt.task(for: plan, task: task),
            "--append-system-prompt-file", files.systemPromptPath,
            "--output-format", "stream-json", "--verbose",
            "--session-id", sessionID,
            "--permission-mode", mode.rawValue,
        ]
        if let model = settings.model {
            arguments += ["--model", model]
        }
        arguments += ["--mcp-config", mcpConfig(headersPath: files.headersPath), "--strict-mcp-config"]
        if let claudeSettings = claudeSettings(sandbox: settings.sandbox) {
            arguments += ["--settings", claudeSettings]
        }
        if let disallowed = settings.disallowedTools, !disallowed.isEmpty {
            arguments += ["--disallowedTools"] + disallowed
        }
        // The prompt sits right after -p, so these variadic lists cannot swallow it.
        let ownTools = Self.workerTools.map { "mcp__\(WorkerPrompt.serverName)__\($0)" }
        arguments += ["--allowedTools"] + ownTools + (settings.allowedTools ?? Self.defaultAllowedTools)

        var environment = baseEnvironment
        environment[Self.workerIDVariable] = plan.worker.id.rawValue
        environment[ProcessInspector.runIDVariable] = sessionID
        if mode == .bypassPermissions, isRoot {
            environment["IS_SANDBOX"] = "1"
        }
        return WorkerCommand(
            executable: claudePath,
            arguments: arguments,
            environment: environment,
            workingDirectory: workingDirectory ?? plan.project.path
        )
    }

    private func mcpConfig(headersPath: String) -> String {
        Self.json([
            "mcpServers": [
                WorkerPrompt.serverName: [
                    "type": "http",
                    "url": serverURL(),
                    "headersHelper": "cat \(ShellWord.quoted(headersPath))",
                    "timeout": 600_000,
                ]
            ]
        ])
    }

    /// Claude Code settings denying the worker's tools the protected paths and, with `sandbox`,
    /// running its Bash sandboxed; `nil` when there is nothing to set.
    private func claudeSettings(sandbox: Bool) -> String? {
        var settings: [String: Any] = [:]
        if !protectedPaths.isEmpty {
            // Claude Code writes an absolute path in a rule with a leading `//`.
            settings["permissions"] = ["deny": protectedPaths.flatMap { ["Read(/\($0))", "Edit(/\($0))"] }]
        }
        if sandbox {
            settings["sandbox"] = [
                "enabled": true,
                // Without bubblewrap Claude Code would run Bash unsandboxed, with only a warning.
                "failIfUnavailable": true,
                "allowUnsandboxedCommands": false,
                "filesystem": ["denyRead": sandboxHiddenDirectories],
            ]
        }
        return settings.isEmpty ? nil : Self.json(settings)
    }

    private static func json(_ object: [String: Any]) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
