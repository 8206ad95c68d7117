/// A ticket with what was written about it, sized to fit a model's tool-output limit.
///
/// However long a ticket's history grows, the newest comments come in full, older ones as
/// excerpts (`Comment.truncatedFrom`), and the oldest are only counted: `olderComments` says how
/// many precede the first one shown, and `get_ticket` with `before_comment_id` pages back to them.
/// Tasks likewise keep the newest `DetailsBudget.maximumTasks`.
package struct TicketDetails: Equatable, Sendable, Codable {
    package var ticket: Ticket
    /// Comments in the order they were written, newest last.
    package var comments: [Comment]
    /// How many earlier comments are not shown.
    package var olderComments: Int
    /// The ticket's tasks in the order they were queued, newest last.
    package var tasks: [QueueTask]
    /// How many earlier tasks are not shown.
    package var olderTasks: Int
    /// The tickets it waits for, each as it is now.
    package var dependsOn: [DependencyStatus] = []
    /// The tickets waiting for it, oldest first, at most `DetailsBudget.maximumDependents`.
    package var dependents: [DependencyStatus] = []
    /// How many later dependents are not shown.
    package var moreDependents = 0
    /// What each stage's runs cost, in plan order (the total is `ticket.usage`).
    package var stages: [StageUsage] = []

    /// The details with everything given, unbounded.
    package init(ticket: Ticket, comments: [Comment], tasks: [QueueTask], olderComments: Int = 0, olderTasks: Int = 0) {
        self.ticket = ticket
        self.comments = comments
        self.olderComments = olderComments
        self.tasks = tasks
        self.olderTasks = olderTasks
    }

    /// The details of `ticket` with `comments` and `tasks` (oldest first) cut to `budget`.
    ///
    /// Lengths are measured in UTF-8 bytes, never fewer than characters, so the budget holds
    /// without walking every character of every comment on each read.
    package init(ticket: Ticket, comments: [Comment], tasks: [QueueTask], within budget: DetailsBudget) {
        var remaining = max(budget.minimumCommentCharacters, budget.totalCharacters - ticket.description.utf8.count)
        var shown: [Comment] = []
        var excerpts = 0
        for comment in comments.reversed() {
            let length = comment.content.utf8.count
            if length <= remaining {
                remaining -= length
                shown.append(comment)
            } else if excerpts < budget.maximumExcerpts {
                excerpts += 1
                shown.append(comment.excerpt(budget.excerptCharacters))
            } else {
                break
            }
        }
        self.init(
            ticket: ticket,
            comments: shown.reversed(),
            tasks: Array(tasks.suffix(budget.maximumTasks)),
            olderComments: comments.count - shown.count,
            olderTasks: max(0, tasks.count - budget.maximumTasks)
        )
    }
}

/// How much of a ticket's history one `get_ticket` answer carries.
///
/// Claude Code keeps an MCP tool result whole up to about 25,000 tokens; the default stays well
/// below that (roughly 60,000 characters of description and comments, 15,000–20,000 tokens).
///
/// The description and full comments are measured in UTF-8 bytes, which are never fewer than
/// characters: text outside ASCII gets less of a page than the names say, never more than the
/// limit allows.
package struct DetailsBudget: Equatable, Sendable {
    /// UTF-8 bytes for the description and the full comments together.
    package var totalCharacters = 60_000
    /// UTF-8 bytes for full comments however long the description is.
    package var minimumCommentCharacters = 24_000
    /// How many comments that no longer fit are shown as excerpts before the rest are only counted.
    package var maximumExcerpts = 20
    /// How long an excerpt is.
    package var excerptCharacters = 300
    /// How many of the newest tasks are shown.
    package var maximumTasks = 20
    /// How many of the tickets waiting for it are shown (what it depends on is bounded already).
    package var maximumDependents = 50

    package init() {}

    /// What `get_ticket` answers with.
    package static let toolOutput = DetailsBudget()
}

extension Comment {
    /// This comment cut to its first `length` characters, marked with its full length.
    func excerpt(_ length: Int) -> Comment {
        var excerpt = self
        excerpt.content = String(content.prefix(length)) + "…"
        excerpt.truncatedFrom = content.count
        return excerpt
    }
}
