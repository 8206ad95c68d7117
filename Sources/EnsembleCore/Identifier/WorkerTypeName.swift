/// The name of a worker type within a project, such as `planner` or `reviewer`.
package struct WorkerTypeName: StringIdentifier {
    package static let kind = "worker type"
    package let rawValue: String

    package init(uncheckedRawValue: String) {
        rawValue = uncheckedRawValue
    }
}
