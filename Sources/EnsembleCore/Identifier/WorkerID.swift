/// A worker's identifier, `worker_<type>_<n>` for spawned workers; comments may also name the coordinator.
package struct WorkerID: StringIdentifier {
    package static let kind = "worker id"
    package let rawValue: String

    package init(uncheckedRawValue: String) {
        rawValue = uncheckedRawValue
    }

    /// The id the coordinator acts under when it claims, comments or completes a stage itself.
    package static let coordinator = WorkerID(uncheckedRawValue: "coordinator")
}
