import Foundation

extension EnsembleConfiguration {
    /// The environment variables the server reads, each the equivalent of one `serve` flag.
    enum EnvironmentKey {
        static let host = "VIBE_ENSEMBLE_HOST"
        static let port = "VIBE_ENSEMBLE_PORT"
        static let databasePath = "VIBE_ENSEMBLE_DATABASE_PATH"
        static let dataDirectory = "VIBE_ENSEMBLE_DATA_DIR"
        static let logLevel = "VIBE_ENSEMBLE_LOG_LEVEL"
        static let sessionIdleTimeout = "VIBE_ENSEMBLE_SESSION_IDLE_TIMEOUT"
        static let claudePath = "VIBE_ENSEMBLE_CLAUDE"
        static let noAutoSpawn = "VIBE_ENSEMBLE_NO_AUTO_SPAWN"
        static let maxWorkers = "VIBE_ENSEMBLE_MAX_WORKERS"
        static let stopGrace = "VIBE_ENSEMBLE_STOP_GRACE"
        static let retentionDays = "VIBE_ENSEMBLE_RETENTION_DAYS"
        static let authToken = "VIBE_ENSEMBLE_AUTH_TOKEN"
        static let authTokenFile = "VIBE_ENSEMBLE_AUTH_TOKEN_FILE"
    }

    /// The log levels `--log-level` accepts.
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Resolves the configuration from flags (`options`), then `environment`, then defaults.
    ///
    /// | flag | environment | default |
    /// | --- | --- | --- |
    /// | `--host` | `VIBE_ENSEMBLE_HOST` | `127.0.0.1` |
    /// | `--port` | `VIBE_ENSEMBLE_PORT` | `3000` |
    /// | `--database-path` | `VIBE_ENSEMBLE_DATABASE_PATH` | `<data dir>/vibe-ensemble.db` |
    /// | `--data-dir` | `VIBE_ENSEMBLE_DATA_DIR` | `~/.vibe-ensemble` |
    /// | `--log-level` | `VIBE_ENSEMBLE_LOG_LEVEL` | `info` |
    /// | `--session-idle-timeout` | `VIBE_ENSEMBLE_SESSION_IDLE_TIMEOUT` | `1800` (seconds) |
    /// | `--claude-path` | `VIBE_ENSEMBLE_CLAUDE` | `claude` (on `PATH`) |
    /// | `--no-auto-spawn` | `VIBE_ENSEMBLE_NO_AUTO_SPAWN` (`1`/`true`) | off |
    /// | `--max-workers` | `VIBE_ENSEMBLE_MAX_WORKERS` | `32` |
    /// | `--stop-grace` | `VIBE_ENSEMBLE_STOP_GRACE` | `5` (seconds) |
    /// | `--retention-days` | `VIBE_ENSEMBLE_RETENTION_DAYS` | `30` |
    /// | `--auth-token-file` | `VIBE_ENSEMBLE_AUTH_TOKEN_FILE` | `<data dir>/coordinator-token`, created |
    /// | `--auth-token` (visible in `ps`) | `VIBE_ENSEMBLE_AUTH_TOKEN` | — |
    /// | `--no-auth` (loopback only) | — | off |
    ///
    /// - Throws: `ConfigurationError` naming the first unusable value.
    init(options: ServeOptions, environment: [String: String]) throws(ConfigurationError) {
        func value(_ flag: String?, _ key: String) -> String? {
            EnsembleConfiguration.setting(flag, key, in: environment)
        }
        self.init(store: Store(options: options.store, environment: environment))

        http.host = value(options.host, EnvironmentKey.host) ?? http.host
        http.auth = try Self.auth(options: options, environment: environment)
        if case .token(_, .file) = http.auth, let file = value(options.authTokenFile, EnvironmentKey.authTokenFile) {
            http.authTokenFile = Self.expand(file, home: environment["HOME"] ?? NSHomeDirectory())
        }
        guard http.isLoopback || http.auth != .disabled else {
            throw .nonLoopbackHost(http.host)
        }
        if let port = value(options.port.map(String.init), EnvironmentKey.port) {
            guard let number = Int(port), (0...65_535).contains(number) else {
                throw .invalidValue(key: "port", value: port, expected: "a number from 0 to 65535")
            }
            http.port = number
        }
        if let level = value(options.logLevel, EnvironmentKey.logLevel) {
            guard Self.logLevels.contains(level.lowercased()) else {
                throw .invalidValue(key: "log level", value: level, expected: Self.logLevels.joined(separator: ", "))
            }
            logLevel = level.lowercased()
        }
        if let timeout = value(options.sessionIdleTimeout.map(String.init), EnvironmentKey.sessionIdleTimeout) {
            guard let seconds = Int(timeout), seconds >= 1 else {
                throw .invalidValue(
                    key: "session idle timeout",
                    value: timeout,
                    expected: "a whole number of seconds ≥ 1"
                )
            }
            mcp.sessionIdleTimeout = .seconds(seconds)
        }
        if let days = value(options.retentionDays.map(String.init), EnvironmentKey.retentionDays) {
            guard let number = Int(days), (1...3_650).contains(number) else {
                throw .invalidValue(key: "retention days", value: days, expected: "a number of days from 1 to 3650")
            }
            retention = .seconds(number * 86_400)
        }
        try readWorkers(options: options, value: value)
    }

    /// The coordinator's token source: `--no-auth`, a flag, a file, the environment, else the data directory.
    private static func auth(options: ServeOptions, environment: [String: String]) throws(ConfigurationError)
        -> CoordinatorAuth
    {
        let file = setting(options.authTokenFile, EnvironmentKey.authTokenFile, in: environment)
        let given: (String, TokenSource)? =
            if let flag = options.authToken {
                (flag, .flag)
            } else if let file {
                (try CoordinatorToken.read(file: file), .file)
            } else if let variable = setting(nil, EnvironmentKey.authToken, in: environment) {
                (variable, .environment)
            } else {
                nil
            }
        if options.noAuth {
            guard given == nil else {
                throw .conflictingAuth("--no-auth cannot be combined with a coordinator token: choose one.")
            }
            return .disabled
        }
        guard let (token, source) = given else { return .dataDirectoryToken }
        guard CoordinatorToken.isAcceptable(token) else {
            throw .invalidValue(
                key: "the coordinator token (\(source.rawValue))",
                value: "…",
                expected: "at least 16 characters without spaces or control characters"
            )
        }
        return .token(token, source: source)
    }

    private mutating func readWorkers(options: ServeOptions, value: (String?, String) -> String?)
        throws(ConfigurationError)
    {
        workers.claudePath = value(options.claudePath, EnvironmentKey.claudePath) ?? workers.claudePath
        if options.noAutoSpawn {
            workers.autoSpawn = false
        } else if let flag = value(nil, EnvironmentKey.noAutoSpawn) {
            workers.autoSpawn = !["1", "true", "yes"].contains(flag.lowercased())
        }
        if let count = value(options.maxWorkers.map(String.init), EnvironmentKey.maxWorkers) {
            guard let number = Int(count), (1...1_000).contains(number) else {
                throw .invalidValue(key: "max workers", value: count, expected: "a number from 1 to 1000")
            }
            workers.maxRunningWorkers = number
        }
        if let grace = value(options.stopGrace.map(String.init), EnvironmentKey.stopGrace) {
            guard let seconds = Int(grace), (0...600).contains(seconds) else {
                throw .invalidValue(key: "stop grace", value: grace, expected: "a number of seconds from 0 to 600")
            }
            workers.stopGrace = .seconds(seconds)
        }
    }

    /// A setting from its flag, else its (non-empty) environment variable.
    fileprivate static func setting(_ flag: String?, _ key: String, in environment: [String: String]) -> String? {
        flag ?? environment[key].flatMap { $0.isEmpty ? nil : $0 }
    }

    fileprivate static func expand(_ path: String, home: String) -> String {
        let expanded = path == "~" || path.hasPrefix("~/") ? home + path.dropFirst() : path
        guard !expanded.hasPrefix("/") else { return expanded }
        return (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded)
    }
}

extension EnsembleConfiguration.Store {
    /// Resolves where data lives from `--data-dir` / `--database-path`, then the environment,
    /// then `~/.vibe-ensemble`; relative paths are taken from the current directory.
    init(options: StoreOptions, environment: [String: String]) {
        func value(_ flag: String?, _ key: String) -> String? {
            EnsembleConfiguration.setting(flag, key, in: environment)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let dataDirectory = EnsembleConfiguration.expand(
            value(options.dataDir, EnsembleConfiguration.EnvironmentKey.dataDirectory)
                ?? EnsembleConfiguration.defaultDataDirectory(home: home),
            home: home
        )
        let databasePath = EnsembleConfiguration.expand(
            value(options.databasePath, EnsembleConfiguration.EnvironmentKey.databasePath)
                ?? (dataDirectory as NSString).appendingPathComponent("vibe-ensemble.db"),
            home: home
        )
        self.init(databasePath: databasePath, dataDirectory: dataDirectory)
    }
}
