/// The name of a worker type within a project, such as `planner` or `reviewer`.
///
/// Shorter than other identifiers: its workers are named `worker_<type>_<n>` and must still fit
/// the identifier limit with the largest worker number.
package struct WorkerTypeName: StringIdentifier {
    package static let kind = "worker type"
    package static let maximumLength = IdentifierRules.maximumLength - WorkerNaming.longestDecoration
    package let rawValue: String

    package init(uncheckedRawValue: String) {
        rawValue = uncheckedRawValue
    }

    package static func isValid(_ raw: String) -> Bool {
        raw.count <= maximumLength && IdentifierRules.isPlainIdentifier(raw)
    }
}
