import ArgumentParser
import Foundation

/// `vibe-ensemble setup-claude-code`: connects a project's Claude Code to the server as coordinator.
struct SetupClaudeCodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup-claude-code",
        abstract: "Add vibe-ensemble to a project's .mcp.json as its coordinator's MCP server.",
        discussion: """
            Run it in (or point it at) the repository where you will run the coordinating Claude Code. Other MCP \
            servers in .mcp.json are kept; running it again updates the entry.

            The coordinator token is not written into .mcp.json: the entry holds a headersHelper command that \
            reads the token file (by default <data dir>/coordinator-token, created here if the server has not \
            made it yet) whenever Claude Code connects. The coordinator's guide comes from the server itself, \
            so workers never see it; a guide that older versions wrote into CLAUDE.md is removed.
            """
    )

    @Option(help: ArgumentHelp("The project to set up.", valueName: "dir"))
    var projectDir: String = FileManager.default.currentDirectoryPath

    @Option(help: "The server's MCP endpoint. (default: http://127.0.0.1:<--port>/mcp)")
    var url: String?

    @Option(help: "The server's port, when --url is not given. (env: VIBE_ENSEMBLE_PORT, default: 3000)")
    var port: Int?

    @OptionGroup var store: StoreOptions

    @Option(
        help: ArgumentHelp(
            "The token file the server uses, when it runs with --auth-token-file. "
                + "(env: VIBE_ENSEMBLE_AUTH_TOKEN_FILE, default: <data dir>/coordinator-token)",
            valueName: "path"
        )
    )
    var authTokenFile: String?

    @Flag(help: "Send $VIBE_ENSEMBLE_AUTH_TOKEN from Claude Code's environment instead of reading a token file.")
    var tokenFromEnvironment = false

    @Flag(name: .customLong("no-auth"), help: "The server runs with --no-auth: send no token.")
    var noAuth = false

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: projectDir, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            CommandFailure.exit(SetupError.notADirectory(projectDir).description)
        }
        let environment = ProcessInfo.processInfo.environment
        let endpoint =
            url ?? "http://127.0.0.1:\(port ?? environment["VIBE_ENSEMBLE_PORT"].flatMap(Int.init) ?? 3000)/mcp"
        do {
            let credential = try credential(environment: environment)
            let outcome = try ClaudeCodeSetup(projectDirectory: projectDir, serverURL: endpoint, credential: credential)
                .apply()
            print("Wrote \(outcome.mcpConfigPath) (server 'vibe-ensemble' at \(endpoint))")
            if case .tokenFile(let path) = credential {
                print(
                    "Claude Code reads the coordinator token from \(path) when it connects; the token is not in .mcp.json."
                )
            }
            if let removed = outcome.removedGuideFrom {
                print("Removed the coordinator guide from \(removed): the server now gives it to the coordinator only.")
            }
            print(
                """
                Next: start the server (vibe-ensemble serve), open Claude Code in \(projectDir), trust the folder and \
                approve the 'vibe-ensemble' project server when asked; 'claude mcp list' then shows it connected.
                """
            )
        } catch let error as SetupError {
            CommandFailure.exit(error.description)
        } catch let error as ConfigurationError {
            CommandFailure.exit(error.description)
        }
    }

    /// The credential the flags ask for; the default token file is created when it does not exist yet.
    private func credential(environment: [String: String]) throws -> ClaudeCodeSetup.Credential {
        if noAuth { return .none }
        if tokenFromEnvironment { return .environment }
        if let file = authTokenFile ?? environment["VIBE_ENSEMBLE_AUTH_TOKEN_FILE"] {
            let absolute =
                file.hasPrefix("/")
                ? file : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(file)
            _ = try CoordinatorToken.read(file: absolute)
            return .tokenFile(absolute)
        }
        let dataDirectory = EnsembleConfiguration.Store(options: store, environment: environment).dataDirectory
        PrivateFiles.createDirectory(dataDirectory)
        return .tokenFile(try CoordinatorToken.loadOrCreate(in: dataDirectory).path)
    }
}
