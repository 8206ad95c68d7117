import ArgumentParser
import Foundation

/// `vibe-ensemble setup-claude-code`: connects a project's Claude Code to the server as coordinator.
struct SetupClaudeCodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup-claude-code",
        abstract: "Add vibe-ensemble to a project's .mcp.json and a coordinator guide to its CLAUDE.md.",
        discussion: """
            Run it in (or point it at) the repository where you will run the coordinating Claude Code. Existing \
            MCP servers and CLAUDE.md content are kept; running it again updates what it wrote.
            """
    )

    @Option(help: ArgumentHelp("The project to set up.", valueName: "dir"))
    var projectDir: String = FileManager.default.currentDirectoryPath

    @Option(help: "The server's MCP endpoint. (default: http://127.0.0.1:<--port>/mcp)")
    var url: String?

    @Option(help: "The server's port, when --url is not given. (env: VIBE_ENSEMBLE_PORT, default: 3000)")
    var port: Int?

    @Flag(help: "The server runs with --auth-token: Claude Code sends $VIBE_ENSEMBLE_AUTH_TOKEN from its environment.")
    var useAuthToken = false

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: projectDir, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            CommandFailure.exit(SetupError.notADirectory(projectDir).description)
        }
        let environmentPort = ProcessInfo.processInfo.environment["VIBE_ENSEMBLE_PORT"].flatMap(Int.init)
        let endpoint = url ?? "http://127.0.0.1:\(port ?? environmentPort ?? 3000)/mcp"
        do {
            let outcome = try ClaudeCodeSetup(
                projectDirectory: projectDir,
                serverURL: endpoint,
                usesAuthToken: useAuthToken
            )
            .apply()
            print(
                """
                Wrote \(outcome.mcpConfigPath) (server 'vibe-ensemble' at \(endpoint))
                Wrote the coordinator guide in \(outcome.guidePath)
                Next: start the server (vibe-ensemble serve), open Claude Code in \(projectDir) and approve the
                'vibe-ensemble' project server when asked; 'claude mcp list' then shows it connected.
                """
            )
        } catch {
            CommandFailure.exit(error.description)
        }
    }
}
