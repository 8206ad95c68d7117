/// A configuration value that cannot be used, reported as one line before anything starts.
enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case invalidValue(key: String, value: String, expected: String)
    case nonLoopbackHost(String)

    var description: String {
        switch self {
        case .invalidValue(let key, let value, let expected):
            "\(key) is '\(value)' but must be \(expected)."
        case .nonLoopbackHost(let host):
            "Refusing to listen on \(host): vibe-ensemble has no coordinator authentication yet, so it only binds "
                + "loopback addresses (127.0.0.1, ::1, localhost)."
        }
    }
}
