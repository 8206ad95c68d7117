import Foundation

/// Everything the server is configured with, read once at start-up and handed down as values.
///
/// Precedence, highest first: command-line flags, environment variables, defaults. See
/// `EnsembleConfiguration+Environment.swift` for every key.
struct EnsembleConfiguration: Sendable, Equatable {
    /// Where the HTTP server listens.
    struct HTTP: Sendable, Equatable {
        var host = "127.0.0.1"
        var port = 3000
        /// Where the coordinator's bearer token comes from.
        var auth = CoordinatorAuth.dataDirectoryToken
        /// The token file given with `--auth-token-file`, as an absolute path (for the setup hint).
        var authTokenFile: String?

        /// Whether only this machine can reach the server: `localhost`, or an address literal in
        /// 127.0.0.0/8 or `::1` (a name such as `127.example.com` may resolve anywhere).
        var isLoopback: Bool { LoopbackAddress.contains(host) }

        /// The host workers on this machine use to reach the server: the bound address itself,
        /// or loopback when bound to every address (a concrete address listens on it alone).
        var localHost: String {
            switch host {
            case "0.0.0.0": "127.0.0.1"
            case "::", "[::]": "::1"
            default: host
            }
        }
    }

    /// Where the coordinator's bearer token comes from.
    enum CoordinatorAuth: Sendable, Equatable {
        /// The token in the data directory, created at first start (the default).
        case dataDirectoryToken
        /// A token given by the operator, and how (a flag token is visible to every local user).
        case token(String, source: TokenSource)
        /// No token at all (`--no-auth`): any local process is the coordinator.
        case disabled
    }

    /// How an operator-given token arrived.
    enum TokenSource: String, Sendable, Equatable {
        case flag = "--auth-token"
        case environment = "VIBE_ENSEMBLE_AUTH_TOKEN"
        case file = "--auth-token-file"
    }

    /// Where data lives.
    struct Store: Sendable, Equatable {
        var databasePath: String
        var dataDirectory: String
    }

    /// How workers are run.
    struct Workers: Sendable, Equatable {
        var claudePath = "claude"
        var autoSpawn = true
        var maxRunningWorkers = 32
        var stopGrace: Duration = .seconds(5)
    }

    /// How MCP sessions are kept.
    struct MCP: Sendable, Equatable {
        /// How long a session may stay idle before it is ended (Claude Code `-p` never ends its own).
        var sessionIdleTimeout: Duration = .seconds(30 * 60)
    }

    var http = HTTP()
    var store: Store
    var mcp = MCP()
    var workers = Workers()
    var logLevel = "info"
    /// How long events, ended tasks and worker logs are kept.
    var retention: Duration = .seconds(30 * 86_400)

    /// The data directory used when none is configured: `~/.vibe-ensemble`.
    static func defaultDataDirectory(home: String) -> String {
        (home as NSString).appendingPathComponent(".vibe-ensemble")
    }
}
