import EnsembleCore
import EnsembleTestSupport
import Foundation
import Testing

/// The checker itself: each invariant is reported when broken, and nothing when all hold.
struct EnsembleInvariantsTests {
    private let shop = ProjectID(uncheckedRawValue: "acme/shop")
    private let coder = WorkerTypeName(uncheckedRawValue: "coder")
    private let now = Date()

    private func ticket(_ state: TicketState = .open) -> Ticket {
        Ticket(
            ticketId: TicketID(uncheckedRawValue: "SHOP-1"),
            projectId: shop,
            title: "t",
            description: "d",
            executionPlan: [coder],
            state: state,
            createdAt: now,
            updatedAt: now
        )
    }

    private func task(queue: String?, state: TaskState = .queued, waiting: String? = nil) -> QueueTask {
        Fixtures.task(queue: queue, state: state, waiting: waiting, at: now)
    }

    private func worker(_ status: WorkerStatus) -> Worker {
        let id = WorkerID(uncheckedRawValue: "worker_coder_1")
        return Worker(
            identity: WorkerIdentity(
                workerId: id,
                projectId: shop,
                workerType: coder,
                queueName: WorkerNaming.queueName(for: id)
            ),
            status: status,
            process: Worker.Process(),
            usage: WorkerUsage(),
            createdAt: now,
            updatedAt: now
        )
    }

    private func type() -> WorkerType {
        WorkerType(
            projectId: shop,
            workerType: coder,
            description: nil,
            systemPrompt: "p",
            settings: WorkerTypeSettings(),
            createdAt: now,
            updatedAt: now
        )
    }

    private func invariants(
        tickets: [Ticket],
        tasks: [QueueTask],
        workers: [Worker] = [],
        events: [Event] = [],
        policy: RoutingPolicy = RoutingPolicy()
    ) -> [Int] {
        let snapshot = EnsembleSnapshot(
            tickets: tickets,
            tasks: tasks,
            workers: workers,
            workerTypes: [type()],
            events: events,
            policy: policy
        )
        return EnsembleInvariants.violations(in: snapshot).map(\.invariant)
    }

    @Test func aTicketOnAWorkersQueueHoldsThemAll() {
        #expect(invariants(tickets: [ticket()], tasks: [task(queue: "queue_coder_1")], workers: [worker(.idle)]) == [])
    }

    @Test func anOpenTicketWithoutATaskIsStranded() {
        #expect(invariants(tickets: [ticket()], tasks: []) == [1])
    }

    @Test func aHeldTicketNeedsAnEventSayingWhy() {
        #expect(invariants(tickets: [ticket(.onHold)], tasks: []) == [1])
        let why = Event(
            id: EventID(1),
            eventType: .ticketNeedsAttention,
            ticketId: TicketID(uncheckedRawValue: "SHOP-1"),
            createdAt: now
        )
        #expect(invariants(tickets: [ticket(.onHold)], tasks: [], events: [why]) == [])
    }

    @Test func aTaskOnAFinishedWorkersQueueIsStranded() {
        #expect(
            invariants(tickets: [ticket()], tasks: [task(queue: "queue_coder_1")], workers: [worker(.finished)]) == [2]
        )
    }

    @Test func aBacklogTaskThatCouldRunNowIsStranded() {
        #expect(invariants(tickets: [ticket()], tasks: [task(queue: nil)]) == [3])
        let off = WaitReason.autoSpawnOff(coder).description
        let told = Event(
            id: EventID(1),
            eventType: .ticketWaitingForWorker,
            reason: off,
            payload: ["task_id": "1"],
            createdAt: now
        )
        let waiting = [task(queue: nil, waiting: off)]
        #expect(
            invariants(tickets: [ticket()], tasks: waiting, events: [told], policy: RoutingPolicy(autoSpawn: false))
                == []
        )
    }
}
