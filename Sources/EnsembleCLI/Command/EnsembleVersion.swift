/// The version reported by `--version`, `serverInfo` and `/health`.
enum EnsembleVersion {
    static let current = "0.1.0"
}
