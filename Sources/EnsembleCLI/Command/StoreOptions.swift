import ArgumentParser

/// Where the data lives; shared by `serve` and `status`.
struct StoreOptions: ParsableArguments {
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
}
