package import ArgumentParser

/// `vibe-ensemble`: the root command.
package struct EnsembleCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "vibe-ensemble",
        abstract: "Run a team of headless Claude Code workers from one coordinator session.",
        discussion: """
            Start the server with 'vibe-ensemble serve', then connect Claude Code as the coordinator:
              claude mcp add --transport http vibe-ensemble http://127.0.0.1:3000/mcp
            """,
        version: EnsembleVersion.current,
        subcommands: [ServeCommand.self, StatusCommand.self, SetupClaudeCodeCommand.self]
    )

    package init() {}
}
