import EnsembleCore

// The `get_ticket` answer and its parts, written member by member (see `JSONTextWritable`);
// `JSONTextWritableTests` checks each against its `Encodable` form.

extension TicketDetails: JSONTextWritable {
    func writeJSON(into writer: inout JSONValueWriter) {
        writer.writeObject { object in
            object.member("comments", comments)
            object.member("dependents", dependents)
            object.member("depends_on", dependsOn)
            object.member("more_dependents", moreDependents)
            object.member("older_comments", olderComments)
            object.member("older_tasks", olderTasks)
            object.member("stages", stages)
            object.member("tasks", tasks)
            object.member("ticket", ticket)
        }
    }
}

extension Ticket: JSONTextWritable {
    func writeJSON(into writer: inout JSONValueWriter) {
        writer.writeObject { object in
            object.member("close_reason", closeReason)
            object.member("closed_at", closedAt)
            object.member("created_at", createdAt)
            object.member("current_stage", currentStage)
            object.member("description", description)
            object.member("execution_plan", executionPlan)
            object.member("last_completed_stage", lastCompletedStage)
            object.member("max_rounds", maxRounds)
            object.member("parent_ticket_id", parentTicketId)
            object.member("priority", priority)
            object.member("project_id", projectId)
            object.member("resolution", resolution)
            object.member("rework_rounds", reworkRounds)
            object.member("state", state)
            object.member("ticket_id", ticketId)
            object.member("title", title)
            object.member("updated_at", updatedAt)
            object.member("usage", usage)
        }
    }
}

extension RunUsage: JSONTextWritable {
    func writeJSON(into writer: inout JSONValueWriter) {
        writer.writeObject { object in
            object.member("cost_usd", costUsd)
            object.member("input_tokens", inputTokens)
            object.member("output_tokens", outputTokens)
            object.member("runs", runs)
            object.member("seconds", seconds)
            object.member("turns", turns)
        }
    }
}

extension StageUsage: JSONTextWritable {
    func writeJSON(into writer: inout JSONValueWriter) {
        writer.writeObject { object in
            object.member("stage", stage)
            object.member("usage", usage)
            object.member("worker_type", workerType)
        }
    }
}

extension DependencyStatus: JSONTextWritable {
    func writeJSON(into writer: inout JSONValueWriter) {
        writer.writeObject { object in
            object.member("resolution", resolution)
            object.member("state", state)
            object.member("ticket_id", ticketId)
            object.member("title", title)
        }
    }
}

extension TicketDependencies: JSONTextWritable {
    func writeJSON(into writer: inout JSONValueWriter) {
        writer.writeObject { object in
            object.member("dependents", dependents)
            object.member("depends_on", dependsOn)
            object.member("ticket", ticket)
        }
    }
}

extension Comment: JSONTextWritable {
    func writeJSON(into writer: inout JSONValueWriter) {
        writer.writeObject { object in
            object.member("content", content)
            object.member("created_at", createdAt)
            object.member("id", id)
            object.member("stage_number", stageNumber)
            object.member("ticket_id", ticketId)
            object.member("truncated_from", truncatedFrom)
            object.member("worker_id", workerId)
            object.member("worker_type", workerType)
        }
    }
}

extension QueueTask: JSONTextWritable {
    func writeJSON(into writer: inout JSONValueWriter) {
        writer.writeObject { object in
            object.member("attempt", attempt)
            object.member("claimed_by", claimedBy)
            object.member("created_at", createdAt)
            object.member("failures", failures)
            object.member("id", id)
            object.member("is_pinned", isPinned)
            object.member("last_error", lastError)
            object.member("lease_expires_at", leaseExpiresAt)
            object.member("max_attempts", maxAttempts)
            object.member("priority", priority)
            object.member("project_id", projectId)
            object.member("queue_name", queueName)
            object.member("stage", stage)
            object.member("state", state)
            object.member("ticket_id", ticketId)
            object.member("updated_at", updatedAt)
            object.member("waiting_reason", waitingReason)
            object.member("worker_type", workerType)
        }
    }
}
