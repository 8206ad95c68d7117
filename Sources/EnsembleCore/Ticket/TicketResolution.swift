/// How a closed ticket ended.
package enum TicketResolution: String, CaseIterable, Equatable, Sendable, Codable {
    /// Every stage of the plan completed.
    case completed
    /// The coordinator stopped it.
    case stopped
}
