import ArgumentParser

/// The flags of `vibe-ensemble serve`; unset flags fall back to the environment, then defaults.
struct ServeOptions: ParsableArguments {
    @Option(help: "Address to listen on; loopback only. (env: VIBE_ENSEMBLE_HOST, default: 127.0.0.1)")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one. (env: VIBE_ENSEMBLE_PORT, default: 3000)")
    var port: Int?

    @Option(
        help: ArgumentHelp(
            "SQLite database file; its directories are created. (env: VIBE_ENSEMBLE_DATABASE_PATH, "
                + "default: <data dir>/vibe-ensemble.db)",
            valueName: "path"
        )
    )
    var databasePath: String?

    @Option(
        help: ArgumentHelp(
            "Directory for the database and worker logs. (env: VIBE_ENSEMBLE_DATA_DIR, default: ~/.vibe-ensemble)",
            valueName: "dir"
        )
    )
    var dataDir: String?

    @Option(
        help: ArgumentHelp(
            "trace, debug, info, notice, warning, error or critical. (env: VIBE_ENSEMBLE_LOG_LEVEL, default: info)",
            valueName: "level"
        )
    )
    var logLevel: String?

    @Option(
        help: ArgumentHelp(
            "Seconds an MCP session may stay idle before it is ended. "
                + "(env: VIBE_ENSEMBLE_SESSION_IDLE_TIMEOUT, default: 1800)",
            valueName: "seconds"
        )
    )
    var sessionIdleTimeout: Int?
}
