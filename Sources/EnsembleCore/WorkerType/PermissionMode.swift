/// The Claude Code `--permission-mode` a worker type runs with.
package enum PermissionMode: String, CaseIterable, Equatable, Sendable, Codable {
    case acceptEdits
    case auto
    case bypassPermissions
    case manual
    case dontAsk
    case plan
    case `default`

    /// The mode used when a worker type does not name one.
    package static let standard = PermissionMode.acceptEdits
}
