import ArgumentParser

/// The flags of `vibe-ensemble serve`; unset flags fall back to the environment, then defaults.
struct ServeOptions: ParsableArguments {
    @Option(
        help: "Address to listen on. (env: VIBE_ENSEMBLE_HOST, default: 127.0.0.1)"
    )
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one. (env: VIBE_ENSEMBLE_PORT, default: 3000)")
    var port: Int?

    @Option(
        help: ArgumentHelp(
            "File holding the bearer token the coordinator must send. (env: VIBE_ENSEMBLE_AUTH_TOKEN_FILE, "
                + "default: <data dir>/coordinator-token, created 0600 at first start)",
            valueName: "path"
        )
    )
    var authTokenFile: String?

    @Option(
        help: ArgumentHelp(
            "The coordinator's bearer token itself; every local user can read it in the process list, so prefer "
                + "VIBE_ENSEMBLE_AUTH_TOKEN or --auth-token-file. (env: VIBE_ENSEMBLE_AUTH_TOKEN)",
            valueName: "token"
        )
    )
    var authToken: String?

    @Flag(
        name: .customLong("no-auth"),
        help: "Require no token at all: any local process may act as coordinator. Loopback addresses only."
    )
    var noAuth = false

    @OptionGroup var store: StoreOptions

    @Option(
        help: ArgumentHelp(
            "The Claude Code executable workers run. (env: VIBE_ENSEMBLE_CLAUDE, default: claude on PATH)",
            valueName: "path"
        )
    )
    var claudePath: String?

    @Flag(
        name: .customLong("no-auto-spawn"),
        help: "Never start workers automatically; tickets wait for spawn_worker. (env: VIBE_ENSEMBLE_NO_AUTO_SPAWN=1)"
    )
    var noAutoSpawn = false

    @Option(
        help: ArgumentHelp(
            "Most workers running at once across projects when spawned automatically. "
                + "(env: VIBE_ENSEMBLE_MAX_WORKERS, default: 32)",
            valueName: "n"
        )
    )
    var maxWorkers: Int?

    @Option(
        help: ArgumentHelp(
            "Seconds a stopping worker gets between SIGTERM and SIGKILL. (env: VIBE_ENSEMBLE_STOP_GRACE, default: 5)",
            valueName: "seconds"
        )
    )
    var stopGrace: Int?

    @Option(
        help: ArgumentHelp(
            "Days to keep events, ended tasks and worker logs; tickets and comments are kept. "
                + "(env: VIBE_ENSEMBLE_RETENTION_DAYS, default: 30)",
            valueName: "days"
        )
    )
    var retentionDays: Int?

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
