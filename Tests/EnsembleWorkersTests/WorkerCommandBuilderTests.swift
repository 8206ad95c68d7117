import EnsembleCore
import EnsembleTestSupport
import EnsembleWorkers
import Foundation
import Testing

struct WorkerCommandBuilderTests {
    private func plan(settings: WorkerTypeSettings = WorkerTypeSettings(), rules: String? = "Write tests.")
        -> WorkerLaunchPlan
    {
        let identity = WorkerIdentity(
            workerId: WorkerID(uncheckedRawValue: "worker_coder_1"),
            projectId: ProjectID(uncheckedRawValue: "acme/shop"),
            workerType: WorkerTypeName(uncheckedRawValue: "coder"),
            queueName: QueueName(uncheckedRawValue: "queue_coder_1")
        )
        return WorkerLaunchPlan(
            worker: Worker(
                identity: identity,
                status: .spawning,
                process: Worker.Process(),
                usage: WorkerUsage(),
                createdAt: Date(),
                updatedAt: Date()
            ),
            workerType: WorkerType(
                projectId: identity.projectId,
                workerType: identity.workerType,
                description: nil,
                systemPrompt: "You write Swift.",
                settings: settings,
                createdAt: Date(),
                updatedAt: Date()
            ),
            project: Project(
                repositoryName: identity.projectId,
                path: "/srv/shop",
                rules: rules,
                patterns: "Small files.",
                createdAt: Date(),
                updatedAt: Date()
            )
        )
    }

    private let builder = WorkerCommandBuilder(
        claudePath: "/opt/claude",
        serverURL: { "http://127.0.0.1:3000/mcp" },
        baseEnvironment: ["PATH": "/bin"],
        isRoot: true,
        protectedPaths: ["/home/dev/.vibe-ensemble/**"],
        sandboxHiddenDirectories: ["/home/dev/.vibe-ensemble"]
    )

    private let files = WorkerRunFiles(
        runsDirectory: "/home/dev/.vibe-ensemble/runs",
        worker: WorkerID(uncheckedRawValue: "worker_coder_1")
    )

    @Test func putsThePromptRightAfterPrintAndKeepsTokenAndSystemPromptOutOfArgvAndEnvironment() throws {
        let command = builder.command(for: plan(), files: files, sessionID: "0000-1111")

        #expect(command.executable == "/opt/claude")
        #expect(command.workingDirectory == "/srv/shop")
        #expect(command.arguments[0] == "-p")
        #expect(command.arguments[1].contains("queue_coder_1"))
        #expect(!command.arguments.joined().contains("You write Swift."))
        let prompt = try #require(command.arguments.firstIndex(of: "--append-system-prompt-file"))
        #expect(command.arguments[prompt + 1] == "/home/dev/.vibe-ensemble/runs/worker_coder_1/system-prompt.md")
        #expect(command.environment.keys.sorted() == ["PATH", "VIBE_ENSEMBLE_RUN_ID", "VIBE_ENSEMBLE_WORKER_ID"])
        #expect(command.environment["VIBE_ENSEMBLE_RUN_ID"] == "0000-1111")
        #expect(command.environment["VIBE_ENSEMBLE_WORKER_ID"] == "worker_coder_1")
        #expect(command.environment["PATH"] == "/bin")
        #expect(command.environment["IS_SANDBOX"] == nil)
        let flags = ["--output-format", "--verbose", "--strict-mcp-config", "--session-id", "--permission-mode"]
        for flag in flags { #expect(command.arguments.contains(flag), "\(flag)") }
        let mode = try #require(command.arguments.firstIndex(of: "--permission-mode"))
        #expect(command.arguments[mode + 1] == "acceptEdits")
    }

    @Test func configuresTheMCPServerWithAHelperThatPrintsTheRunsHeadersFile() throws {
        let command = builder.command(for: plan(), files: files, sessionID: "s")
        let index = try #require(command.arguments.firstIndex(of: "--mcp-config"))
        let config = try JSONSerialization.jsonObject(with: Data(command.arguments[index + 1].utf8)) as? [String: Any]
        let server = (config?["mcpServers"] as? [String: Any])?["vibe-ensemble"] as? [String: Any]
        #expect(server?["url"] as? String == "http://127.0.0.1:3000/mcp")
        #expect(server?["headers"] == nil)
        #expect(
            server?["headersHelper"] as? String == "cat '/home/dev/.vibe-ensemble/runs/worker_coder_1/headers.json'"
        )
        #expect(server?["timeout"] as? Int == 600_000)
    }

    @Test func deniesTheWorkersToolsTheDataDirectory() throws {
        let command = builder.command(for: plan(), files: files, sessionID: "s")
        let index = try #require(command.arguments.firstIndex(of: "--settings"))
        let settings = try JSONSerialization.jsonObject(with: Data(command.arguments[index + 1].utf8)) as? [String: Any]
        let deny = (settings?["permissions"] as? [String: Any])?["deny"] as? [String]
        #expect(deny == ["Read(//home/dev/.vibe-ensemble/**)", "Edit(//home/dev/.vibe-ensemble/**)"])
    }

    @Test func aSandboxedTypeRunsBashInClaudeCodesSandboxOrNotAtAll() throws {
        let plain = builder.command(for: plan(), files: files, sessionID: "s")
        let sandboxed = builder.command(
            for: plan(settings: WorkerTypeSettings(sandbox: true)),
            files: files,
            sessionID: "s"
        )
        func settings(_ command: WorkerCommand) throws -> [String: Any] {
            let index = try #require(command.arguments.firstIndex(of: "--settings"))
            return try #require(
                try JSONSerialization.jsonObject(with: Data(command.arguments[index + 1].utf8)) as? [String: Any]
            )
        }
        #expect(try settings(plain)["sandbox"] == nil)
        let sandbox = try #require(try settings(sandboxed)["sandbox"] as? [String: Any])
        #expect(sandbox["enabled"] as? Bool == true)
        #expect(sandbox["failIfUnavailable"] as? Bool == true)
        #expect(sandbox["allowUnsandboxedCommands"] as? Bool == false)
        #expect((sandbox["filesystem"] as? [String: Any])?["denyRead"] as? [String] == ["/home/dev/.vibe-ensemble"])
    }

    @Test func runFilesAreWrittenPrivatelyAndRemoved() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let files = WorkerRunFiles(
            runsDirectory: directory.appending("runs"),
            worker: WorkerID(uncheckedRawValue: "w_1")
        )
        try files.write(token: "secret", systemPrompt: "Be brief.")
        let headers = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: files.headersPath)))
        #expect(headers as? [String: String] == ["Authorization": "Bearer secret"])
        #expect(try String(contentsOfFile: files.systemPromptPath, encoding: .utf8) == "Be brief.")
        let mode = try FileManager.default.attributesOfItem(atPath: files.headersPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let directoryMode = try FileManager.default.attributesOfItem(atPath: files.directory)[.posixPermissions] as? Int
        #expect(directoryMode == 0o700)
        files.remove()
        #expect(!FileManager.default.fileExists(atPath: files.directory))
    }

    @Test func allowsTheWorkerToolsPlusTheTypesOwnAndPassesItsSettings() throws {
        let settings = WorkerTypeSettings(
            model: "sonnet",
            permissionMode: .bypassPermissions,
            allowedTools: ["Read", "Bash(git *)"],
            disallowedTools: ["WebFetch"]
        )
        let command = builder.command(for: plan(settings: settings), files: files, sessionID: "s")
        let allowed = try #require(command.arguments.firstIndex(of: "--allowedTools"))

        #expect(
            Array(command.arguments[(allowed + 1)...]) == [
                "mcp__vibe-ensemble__get_next_task", "mcp__vibe-ensemble__get_queue_tasks",
                "mcp__vibe-ensemble__get_ticket", "mcp__vibe-ensemble__add_ticket_comment",
                "mcp__vibe-ensemble__complete_ticket_stage", "Read", "Bash(git *)",
            ]
        )
        let disallowed = try #require(command.arguments.firstIndex(of: "--disallowedTools"))
        #expect(command.arguments[disallowed + 1] == "WebFetch")
        let model = try #require(command.arguments.firstIndex(of: "--model"))
        #expect(command.arguments[model + 1] == "sonnet")
        #expect(command.environment["IS_SANDBOX"] == "1")
    }

    @Test func theSystemPromptCarriesTypeProjectAndInstructions() {
        let prompt = WorkerPrompt.system(for: plan())
        for part in [
            "You write Swift.", "PROJECT RULES:\nWrite tests.", "PROJECT PATTERNS:\nSmall files.",
            "WORKER CONFIGURATION:",
            "- Worker ID: worker_coder_1", "- Queue Name: queue_coder_1", "TASK PROCESSING INSTRUCTIONS:",
            "complete_ticket_stage", "one task only",
        ] {
            #expect(prompt.contains(part), "\(part)")
        }
        let loop = WorkerPrompt.system(for: plan(settings: WorkerTypeSettings(session: .perQueue)))
        #expect(loop.contains("queue is empty, stop") && !loop.contains("one task only"))
        #expect(!WorkerPrompt.system(for: plan(rules: nil)).contains("PROJECT RULES"))
        #expect(!prompt.contains("new_tickets"))
    }

    @Test func aWorkerInATicketsWorktreeIsToldWhereItWorksAndThatTheServerCommits() {
        var isolated = plan()
        isolated.project.workspace = WorkspaceSettings(isolation: .worktree, baseBranch: "trunk")
        let prompt = WorkerPrompt.system(for: isolated)
        #expect(prompt.contains("the ticket's own git worktree, on its branch vibe/<ticket_id>"))
        #expect(prompt.contains("merges the branch into trunk after the last stage"))
        #expect(WorkerPrompt.system(for: plan()).contains("Do the work of your stage in the project directory."))
        let command = WorkerCommandBuilder(
            claudePath: "claude",
            serverURL: { "http://127.0.0.1:3000/mcp" },
            baseEnvironment: [:],
            isRoot: false
        ).command(
            for: isolated,
            files: WorkerRunFiles(runsDirectory: "/tmp/runs", worker: isolated.worker.id),
            sessionID: "s",
            workingDirectory: "/data/worktrees/acme+shop/SHOP-1"
        )
        #expect(command.workingDirectory == "/data/worktrees/acme+shop/SHOP-1")
    }

    @Test func aTypeThatMayCreateTicketsIsToldHowWithTheProjectsTypes() {
        var planning = plan(settings: WorkerTypeSettings(canCreateTickets: true))
        planning.projectWorkerTypes = ["coder", "reviewer"].map(WorkerTypeName.init(uncheckedRawValue:))
        let prompt = WorkerPrompt.system(for: planning)
        for part in [
            "CREATING TICKETS:", "new_tickets", "depends_on", "one per stage: coder, reviewer.", "created_tickets",
        ] {
            #expect(prompt.contains(part), "\(part)")
        }
    }
}
