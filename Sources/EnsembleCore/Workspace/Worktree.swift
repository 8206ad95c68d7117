package import Foundation

/// A ticket's git worktree, made by the server when its first stage was about to run.
package struct Worktree: Equatable, Sendable, Codable {
    package var ticketId: TicketID
    package var projectId: ProjectID
    /// `vibe/<ticket_id>`.
    package var branch: String
    /// Under `<data dir>/worktrees/`.
    package var path: String
    /// The base branch's commit the branch started from.
    package var baseCommit: String
    /// Why its merge waits, once said (`merge_blocked` is recorded once per reason).
    package var mergeNote: String?
    /// The commit its branch landed as, recorded before the branch is deleted so a merge cut
    /// short by a crash finishes without it.
    package var mergedCommit: String?
    package var createdAt: Date

    package init(
        ticketId: TicketID,
        projectId: ProjectID,
        branch: String,
        path: String,
        baseCommit: String,
        mergeNote: String? = nil,
        mergedCommit: String? = nil,
        createdAt: Date
    ) {
        self.ticketId = ticketId
        self.projectId = projectId
        self.branch = branch
        self.path = path
        self.baseCommit = baseCommit
        self.mergeNote = mergeNote
        self.mergedCommit = mergedCommit
        self.createdAt = createdAt
    }

    /// The branch of `ticket`: `vibe/<ticket_id>`, with what git refuses in a ref name (`..`, a
    /// trailing `.` or `.lock`) made harmless.
    package static func branch(of ticket: TicketID) -> String {
        var name = ticket.rawValue.replacingOccurrences(of: "..", with: "._")
        if name.hasSuffix(".") || name.hasSuffix(".lock") { name += "_" }
        return "vibe/\(name)"
    }
}
