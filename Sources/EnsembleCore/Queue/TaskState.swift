/// Where a queued task is in its life: `queued → claimed → done`, or back to `queued` on a
/// lost claim, ending `discarded` after too many attempts or when its ticket closes.
package enum TaskState: String, CaseIterable, Equatable, Sendable, Codable {
    case queued
    case claimed
    case done
    case failed
    case discarded
}
