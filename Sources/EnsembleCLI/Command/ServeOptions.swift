import ArgumentParser

/// The flags of `vibe-ensemble serve`; unset flags fall back to the environment, then defaults.
struct ServeOptions: ParsableArguments {
    @Option(
        help:
            "Address to listen on; beyond loopback only with --auth-token. (env: VIBE_ENSEMBLE_HOST, default: 127.0.0.1)"
    )
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one. (env: VIBE_ENSEMBLE_PORT, default: 3000)")
    var port: Int?

    @Option(
        help: ArgumentHelp(
            "Bearer token the coordinator must send; other local users then cannot drive the server. "
                + "(env: VIBE_ENSEMBLE_AUTH_TOKEN, default: none)",
            valueName: "token"
        )
    )
    var authToken: String?

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
