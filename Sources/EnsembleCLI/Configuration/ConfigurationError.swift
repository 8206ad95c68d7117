/// A configuration value that cannot be used, reported as one line before anything starts.
enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case invalidValue(key: String, value: String, expected: String)
    case nonLoopbackHost(String)
    case conflictingAuth(String)
    case unreadableTokenFile(path: String, reason: String)

    var description: String {
        switch self {
        case .invalidValue(let key, let value, let expected):
            "\(key) is '\(value)' but must be \(expected)."
        case .nonLoopbackHost(let host):
            "Refusing --no-auth on \(host): beyond a loopback address (127.0.0.1, ::1, localhost) anyone who can "
                + "reach it could run workers. Drop --no-auth (the data directory's token is then required) or bind 127.0.0.1."
        case .conflictingAuth(let reason):
            reason
        case .unreadableTokenFile(let path, let reason):
            "The token file \(path) cannot be used: \(reason)."
        }
    }
}
