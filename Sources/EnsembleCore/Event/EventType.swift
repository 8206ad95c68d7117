/// What an event reports.
package enum EventType: String, CaseIterable, Equatable, Sendable, Codable {
    case ticketCreated = "ticket_created"
    case ticketStageUpdated = "ticket_stage_updated"
    case ticketStageCompleted = "ticket_stage_completed"
    case ticketSentBack = "ticket_sent_back"
    case ticketNeedsAttention = "ticket_needs_attention"
    case ticketCompleted = "ticket_completed"
    case ticketClosed = "ticket_closed"
    case ticketAssigned = "ticket_assigned"
    case ticketWaitingForWorker = "ticket_waiting_for_worker"
    case workerSpawned = "worker_spawned"
    case workerFinished = "worker_finished"
    case workerStopped = "worker_stopped"
    case workerFailed = "worker_failed"
    case taskRequeued = "task_requeued"
    case taskDiscarded = "task_discarded"
}
