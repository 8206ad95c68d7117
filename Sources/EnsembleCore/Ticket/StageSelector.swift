/// A stage of a ticket's plan, named by index or by the worker type that runs it.
package enum StageSelector: Equatable, Sendable {
    case index(Int)
    /// The first stage of the plan run by this worker type.
    case workerType(WorkerTypeName)
}
