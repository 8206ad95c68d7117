import EnsembleCore
import Foundation
import Testing

@testable import EnsembleCLI

struct StatusRendererTests {
    @Test func showsOpenTicketsWorkersBacklogAndEventsAtAGlance() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let ticket = Ticket(
            ticketId: TicketID(uncheckedRawValue: "SHOP-6"),
            projectId: ProjectID(uncheckedRawValue: "acme/shop"),
            title: "Add search box",
            description: "d",
            executionPlan: ["planner", "coder"].map(WorkerTypeName.init(uncheckedRawValue:)),
            currentStage: 1,
            state: .inProgress,
            priority: .high,
            createdAt: now,
            updatedAt: now
        )
        var closed = ticket
        closed.ticketId = TicketID(uncheckedRawValue: "SHOP-1")
        closed.state = .closed
        var blocked = ticket
        blocked.ticketId = TicketID(uncheckedRawValue: "SHOP-8")
        blocked.state = .blocked
        var merging = ticket
        merging.ticketId = TicketID(uncheckedRawValue: "SHOP-9")
        merging.state = .merging
        merging.usage.costUsd = 0.25
        let worker = Worker(
            identity: WorkerIdentity(
                workerId: WorkerID(uncheckedRawValue: "worker_coder_1"),
                projectId: ticket.projectId,
                workerType: WorkerTypeName(uncheckedRawValue: "coder"),
                queueName: QueueName(uncheckedRawValue: "queue_coder_1")
            ),
            status: .failed,
            statusReason: "its process exited with code 1",
            process: Worker.Process(lastActivity: now.addingTimeInterval(-90)),
            usage: WorkerUsage(totalCostUsd: 0.5),
            createdAt: now,
            updatedAt: now
        )
        let event = Event(id: EventID(42), eventType: .ticketStageCompleted, ticketId: ticket.ticketId, createdAt: now)
        let snapshot = StatusSnapshot(
            databasePath: "/data/db",
            tickets: [closed, ticket, blocked, merging],
            workers: [WorkerReport(worker: worker, queue: QueueCounts(queued: 2))],
            backlog: [
                QueueTask(
                    id: TaskID(7),
                    projectId: ticket.projectId,
                    workerType: WorkerTypeName(uncheckedRawValue: "reviewer"),
                    queueName: nil,
                    ticketId: TicketID(uncheckedRawValue: "SHOP-7"),
                    stage: 0,
                    state: .queued,
                    attempt: 0,
                    maxAttempts: 3,
                    claimedBy: nil,
                    leaseExpiresAt: nil,
                    priority: .medium,
                    lastError: nil,
                    waitingReason: WaitReason.globalCap(limit: 1).description,
                    createdAt: now,
                    updatedAt: now
                )
            ],
            unprocessedEvents: [event],
            blocked: [StatusSnapshot.BlockedTicket(ticketId: blocked.ticketId, waitsFor: [DependencyStatus(ticket)])],
            worktrees: [
                Worktree(
                    ticketId: merging.ticketId,
                    projectId: merging.projectId,
                    branch: "vibe/SHOP-9",
                    path: "/data/worktrees/acme+shop/SHOP-9",
                    baseCommit: "abc",
                    mergeNote: "main is checked out at /src/shop with uncommitted changes",
                    createdAt: now
                )
            ]
        )

        let text = StatusRenderer.render(snapshot, now: now)

        #expect(
            text.contains(
                "Tickets   0 open · 1 in progress · 1 blocked · 0 on hold · 1 merging · 1 closed · $0.2500 spent"
            )
        )
        #expect(text.contains("SHOP-9       merging      stage 2/2 coder"))
        #expect(text.contains("\n    on vibe/SHOP-9 in /data/worktrees/acme+shop/SHOP-9\n"))
        #expect(text.contains("\n    merge waits: main is checked out at /src/shop with uncommitted changes"))
        #expect(text.contains("SHOP-8       blocked      stage 2/2 coder"))
        #expect(text.contains("\n    waits for SHOP-6 (in_progress)\n"))
        #expect(text.contains("SHOP-6       in_progress  stage 2/2 coder"))
        #expect(!text.contains("SHOP-1 "))
        #expect(text.contains("Workers   0 running · 0 finished · 1 failed · 0 stopped"))
        #expect(text.contains("0 claimed, 2 queued"))
        #expect(text.contains("$0.5000"))
        #expect(text.contains("active 1m ago"))
        #expect(text.contains("failed: its process exited with code 1"))
        #expect(text.contains("Backlog   1 task waiting for a worker"))
        #expect(text.contains("SHOP-7       stage 1 reviewer"))
        #expect(text.contains("its --max-workers limit: it starts as soon as it exits"))
        #expect(text.contains("Events    1 unprocessed (newest: #42 ticket_stage_completed SHOP-6)"))
    }
}
