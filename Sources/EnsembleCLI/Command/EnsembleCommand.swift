package import ArgumentParser

/// `vibe-ensemble`: the root command.
package struct EnsembleCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "vibe-ensemble",
        abstract: "Run a team of headless Claude Code workers from one coordinator session.",
        discussion: """
            Start the server with 'vibe-ensemble serve' (it creates a coordinator token in its data directory), \
            then connect a project's Claude Code as the coordinator:
              vibe-ensemble setup-claude-code --project-dir <repository>
            """,
        version: EnsembleVersion.current,
        subcommands: [ServeCommand.self, StatusCommand.self, SetupClaudeCodeCommand.self]
    )

    package init() {}
}
