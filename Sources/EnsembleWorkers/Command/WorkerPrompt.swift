package import EnsembleCore
import Foundation

/// The prompts a worker runs with: the system prompt appended to Claude Code's own, and the task
/// prompt given with `-p`.
///
/// The system prompt is the worker type's prompt, the project's rules and patterns, and the
/// seeds' WORKER CONFIGURATION and TASK PROCESSING INSTRUCTIONS adapted to the real tools.
package enum WorkerPrompt {
    /// The MCP server name workers see our tools under: `mcp__vibe-ensemble__<tool>`.
    package static let serverName = "vibe-ensemble"

    /// The text passed with `--append-system-prompt-file` (see `WorkerRunFiles`).
    package static func system(for plan: WorkerLaunchPlan) -> String {
        let identity = plan.worker.identity
        var sections = [plan.workerType.systemPrompt.trimmingCharacters(in: .whitespacesAndNewlines)]
        if let rules = plan.project.rules, !rules.isEmpty {
            sections.append("PROJECT RULES:\n\(rules)")
        }
        if let patterns = plan.project.patterns, !patterns.isEmpty {
            sections.append("PROJECT PATTERNS:\n\(patterns)")
        }
        sections.append(
            """
            WORKER CONFIGURATION:
            - Worker ID: \(identity.workerId)
            - Project: \(identity.projectId)
            - Worker Type: \(identity.workerType)
            - Queue Name: \(identity.queueName)
            """
        )
        sections.append(
            """
            TASK PROCESSING INSTRUCTIONS:
            1. You are a specialized worker for the vibe-ensemble multi-agent system. Your queue is \(identity.queueName).
            2. Claim your next task with get_next_task(queue_name: "\(identity.queueName)"). It returns the task_id, \
            attempt, ticket_id and stage, or says the queue is empty.
            3. Read the ticket with get_ticket(ticket_id): its description and every earlier stage's report.
            4. Do the work of your stage \(workplace(plan))
            5. Finish the stage with complete_ticket_stage(ticket_id, task_id, report, outcome). The report is a \
            detailed account for the next worker and the coordinator. outcome is "next_stage" when your stage is \
            done, "prev_stage" to send the ticket back to the previous stage for rework, or "needs_attention" to \
            hold it for the coordinator; give a reason with the last two.
            \(plan.workerType.settings.session == .perTask ? oneTaskStep : queueLoopStep)
            Use add_ticket_comment(ticket_id, worker_type, worker_id, stage_number, content) only for notes beyond \
            your report. You work autonomously: no one will answer questions, so decide, and report what you decided.
            """
        )
        if plan.workerType.settings.canCreateTickets {
            sections.append(planningInstructions(plan))
        }
        return sections.joined(separator: "\n\n")
    }

    /// Where a worker works: the ticket's own worktree, or the project's directory.
    private static func workplace(_ plan: WorkerLaunchPlan) -> String {
        guard plan.project.workspace.isolation == .worktree, plan.workerType.settings.session == .perTask else {
            return "in the project directory."
        }
        let base = plan.project.workspace.baseBranch ?? "the base branch"
        return "in your current directory: the ticket's own git worktree, on its branch vibe/<ticket_id>. Leave your "
            + "changes there (commit them if you like): the server commits what is left when you complete the stage, "
            + "and merges the branch into \(base) after the last stage. Do not switch branches or work elsewhere."
    }

    private static let queueLoopStep =
        "6. Go back to step 2. When get_next_task says the queue is empty, stop: end your turn."
    private static let oneTaskStep =
        "6. This session is for one task only: once complete_ticket_stage accepted it, end your turn. "
        + "The next task starts in a fresh session."

    /// How a worker whose type may create tickets declares the work it planned.
    private static func planningInstructions(_ plan: WorkerLaunchPlan) -> String {
        """
        CREATING TICKETS:
        Your worker type may break the work down into new tickets of project \(plan.worker.identity.projectId). \
        Declare them in the same complete_ticket_stage call, as new_tickets: a list of entries \
        {"ref": "api", "title": "...", "description": "...", "execution_plan": ["coder", "reviewer"], \
        "depends_on": ["db"], "priority": "medium"}. ref is a short name of your choice; depends_on lists the \
        refs of other entries (or ids of existing tickets) that must be completed before this one starts. \
        execution_plan names worker types of the project, one per stage: \
        \(plan.projectWorkerTypes.map(\.rawValue).joined(separator: ", ")). \
        The server creates every entry with its dependencies in one step, or none if one is \
        wrong (read the error, fix the entry and call again); created_tickets in the answer gives their ids. \
        The new tickets then run by themselves, each once its dependencies are done: do not do their work \
        yourself, and describe the breakdown in your report.
        """
    }

    /// The text passed with `-p`: the task a per-task run was started for, or the whole queue.
    package static func task(for plan: WorkerLaunchPlan, task: ClaimedTask? = nil) -> String {
        let identity = plan.worker.identity
        if let task {
            return "You are \(identity.workerId). Your task in this session: stage \(task.stage) (\(task.workerType)) "
                + "of ticket \(task.ticketId) \"\(task.title)\", task_id \(task.taskId), attempt \(task.attempt). "
                + "Start with get_next_task(queue_name: \"\(identity.queueName)\"), which returns this task, then "
                + "follow your task processing instructions and end your turn once the stage is complete."
        }
        return "You are \(identity.workerId). Process the tasks in your queue \(identity.queueName) now, following "
            + "your task processing instructions: start with get_next_task(queue_name: \"\(identity.queueName)\")."
    }
}
