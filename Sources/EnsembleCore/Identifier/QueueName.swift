/// The name of a worker's queue, `queue_<type>_<n>` for worker `worker_<type>_<n>`.
package struct QueueName: StringIdentifier {
    package static let kind = "queue name"
    package let rawValue: String

    package init(uncheckedRawValue: String) {
        rawValue = uncheckedRawValue
    }
}
