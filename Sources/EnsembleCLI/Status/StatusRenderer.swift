import EnsembleCore
import Foundation

/// Renders a status snapshot as text a person reads at a glance.
enum StatusRenderer {
    /// The most rows listed per section; the rest are counted.
    static let maximumRows = 20

    static func render(_ status: StatusSnapshot, now: Date = Date()) -> String {
        var lines = ["vibe-ensemble status (database: \(status.databasePath))", ""]
        lines += tickets(
            status.tickets,
            waitingFor: Dictionary(status.blocked.map { ($0.ticketId, $0.waitsFor) }) { $1 },
            worktrees: Dictionary(status.worktrees.map { ($0.ticketId, $0) }) { $1 }
        )
        lines += workers(status.workers, now: now)
        lines += backlog(status.backlog)
        lines.append(events(status.unprocessedEvents))
        return lines.joined(separator: "\n")
    }

    private static func tickets(
        _ tickets: [Ticket],
        waitingFor: [TicketID: [DependencyStatus]],
        worktrees: [TicketID: Worktree]
    ) -> [String] {
        let open = tickets.filter { $0.state != .closed }
        let counts = TicketState.allCases.map { state in
            "\(tickets.filter { $0.state == state }.count) \(state.rawValue.replacingOccurrences(of: "_", with: " "))"
        }
        let spent = tickets.reduce(0) { $0 + $1.usage.costUsd }
        var lines = ["Tickets   " + counts.joined(separator: " · ") + String(format: " · $%.4f spent", spent)]
        for ticket in open.prefix(maximumRows) {
            let stage =
                "stage \(ticket.currentStage + 1)/\(ticket.executionPlan.count) \(ticket.currentWorkerType?.rawValue ?? "-")"
            lines.append(
                "  "
                    + [
                        pad(ticket.ticketId.rawValue, 12), pad(ticket.state.rawValue, 12), pad(stage, 24),
                        pad(ticket.priority.rawValue, 7), pad(String(format: "$%.4f", ticket.usage.costUsd), 10),
                        ticket.title,
                    ].joined(separator: " ")
            )
            if let worktree = worktrees[ticket.ticketId] {
                lines.append("    on \(worktree.branch) in \(worktree.path)")
                if ticket.state == .merging, let note = worktree.mergeNote { lines.append("    merge waits: \(note)") }
            }
            if let waiting = waitingFor[ticket.ticketId], !waiting.isEmpty {
                lines.append(
                    "    waits for " + waiting.map(\.summary).joined(separator: ", ")
                )
            }
        }
        if open.count > maximumRows { lines.append("  … and \(open.count - maximumRows) more open tickets") }
        return lines
    }

    private static func workers(_ reports: [WorkerReport], now: Date) -> [String] {
        let counts = ["running": reports.filter { $0.worker.status.isRunning }.count]
        var summary = "\(counts["running"] ?? 0) running"
        for status in [WorkerStatus.finished, .failed, .stopped] {
            summary += " · \(reports.filter { $0.worker.status == status }.count) \(status.rawValue)"
        }
        var lines = ["Workers   " + summary]
        for report in reports.prefix(maximumRows) {
            let worker = report.worker
            let pid = worker.process.pid.map { "pid \($0)" } ?? "-"
            let queue = "\(report.queue.claimed) claimed, \(report.queue.queued) queued"
            let cost = String(format: "$%.4f", worker.usage.totalCostUsd)
            let activity = worker.process.lastActivity.map { "active \(ago($0, now: now))" } ?? "never active"
            lines.append(
                "  "
                    + [
                        pad(worker.id.rawValue, 24), pad(worker.status.rawValue, 9), pad(pid, 10), pad(queue, 22),
                        pad(cost, 10), activity,
                    ].joined(separator: " ")
            )
            if worker.status == .failed, let reason = worker.statusReason {
                lines.append("    failed: \(reason)")
            }
        }
        if reports.count > maximumRows { lines.append("  … and \(reports.count - maximumRows) more workers") }
        return lines
    }

    /// The waiting tasks, each with why it waits and what would free it.
    private static func backlog(_ tasks: [QueueTask]) -> [String] {
        var lines = ["Backlog   \(tasks.count) task\(tasks.count == 1 ? "" : "s") waiting for a worker"]
        for task in tasks.prefix(maximumRows) {
            let what =
                "  " + pad(task.ticketId.rawValue, 12) + " " + pad("stage \(task.stage + 1) \(task.workerType)", 24)
            lines.append(what + " " + (task.waitingReason ?? "waiting to be routed"))
        }
        if tasks.count > maximumRows { lines.append("  … and \(tasks.count - maximumRows) more waiting tasks") }
        return lines
    }

    private static func events(_ events: [Event]) -> String {
        guard let newest = events.last else { return "Events    none unprocessed" }
        let subject = newest.ticketId?.rawValue ?? newest.workerId?.rawValue ?? ""
        return "Events    \(events.count) unprocessed (newest: #\(newest.id) \(newest.eventType.rawValue) \(subject))"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func ago(_ date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "\(seconds)s ago"
        case ..<3_600: return "\(seconds / 60)m ago"
        case ..<86_400: return "\(seconds / 3_600)h ago"
        default: return "\(seconds / 86_400)d ago"
        }
    }
}
