/// How urgent a ticket is; queues hand out more urgent tasks first.
package enum TicketPriority: String, CaseIterable, Equatable, Sendable, Codable {
    case low
    case medium
    case high
    case urgent

    /// The rank stored with tasks: higher runs first.
    package var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .urgent: 3
        }
    }
}
