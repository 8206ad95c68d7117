/// A configuration value that cannot be used, reported as one line before anything starts.
enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case invalidValue(key: String, value: String, expected: String)
    case nonLoopbackHost(String)

    var description: String {
        switch self {
        case .invalidValue(let key, let value, let expected):
            "\(key) is '\(value)' but must be \(expected)."
        case .nonLoopbackHost(let host):
            "Refusing to listen on \(host) without a coordinator token: anyone who can reach it could run "
                + "workers. Add --auth-token (or VIBE_ENSEMBLE_AUTH_TOKEN), or bind 127.0.0.1."
        }
    }
}
