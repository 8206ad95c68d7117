package import EnsembleCore
import Foundation

/// Builds the `claude -p` command line of a worker (SPEC §8.1), as argv elements only.
///
/// The worker's bearer token travels in the environment and is expanded by Claude Code in the
/// MCP config's headers, so it never appears in the process list.
package struct WorkerCommandBuilder: Sendable {
    /// The tools of this server that every worker may call.
    package static let workerTools = [
        "get_next_task", "get_queue_tasks", "get_ticket", "add_ticket_comment", "complete_ticket_stage",
    ]
    /// The built-in tools a worker may use when its type does not say.
    package static let defaultAllowedTools = ["Read", "Edit", "Write", "Glob", "Grep", "Bash", "TodoWrite"]
    /// The environment variable carrying the worker's token.
    package static let tokenVariable = "VIBE_ENSEMBLE_WORKER_TOKEN"
    /// The environment variable carrying the worker's id.
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

    package init(
        claudePath: String,
        serverURL: @escaping @Sendable () -> String,
        baseEnvironment: [String: String],
        isRoot: Bool
    ) {
        self.claudePath = claudePath
        self.serverURL = serverURL
        self.baseEnvironment = baseEnvironment
        self.isRoot = isRoot
    }

    /// The command for one run of `plan`'s worker.
    package func command(for plan: WorkerLaunchPlan, token: String, sessionID: String) -> WorkerCommand {
        let settings = plan.workerType.settings
        let mode = settings.permissionMode ?? .standard
        var arguments = [
            "-p", WorkerPrompt.task(for: plan),
            "--append-system-prompt", WorkerPrompt.system(for: plan),
            "--output-format", "stream-json", "--verbose",
            "--session-id", sessionID,
            "--permission-mode", mode.rawValue,
        ]
        if let model = settings.model {
            arguments += ["--model", model]
        }
        arguments += ["--mcp-config", mcpConfig(), "--strict-mcp-config"]
        if let disallowed = settings.disallowedTools, !disallowed.isEmpty {
            arguments += ["--disallowedTools"] + disallowed
        }
        // The prompt sits right after -p, so these variadic lists cannot swallow it.
        let ownTools = Self.workerTools.map { "mcp__\(WorkerPrompt.serverName)__\($0)" }
        arguments += ["--allowedTools"] + ownTools + (settings.allowedTools ?? Self.defaultAllowedTools)

        var environment = baseEnvironment
        environment[Self.workerIDVariable] = plan.worker.id.rawValue
        environment[Self.tokenVariable] = token
        if mode == .bypassPermissions, isRoot {
            environment["IS_SANDBOX"] = "1"
        }
        return WorkerCommand(
            executable: claudePath,
            arguments: arguments,
            environment: environment,
            workingDirectory: plan.project.path
        )
    }

    private func mcpConfig() -> String {
        let config: [String: Any] = [
            "mcpServers": [
                WorkerPrompt.serverName: [
                    "type": "http",
                    "url": serverURL(),
                    "headers": ["Authorization": "Bearer ${\(Self.tokenVariable)}"],
                    "timeout": 600_000,
                ]
            ]
        ]
        let data =
            (try? JSONSerialization.data(withJSONObject: config, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
