import EnsembleCore
import EnsembleTestSupport
import Foundation
import Testing

struct WorkerPoolTests {
    private let shop = ProjectID(uncheckedRawValue: "acme/shop")
    private let coder = WorkerTypeName(uncheckedRawValue: "coder")
    private let reviewer = WorkerTypeName(uncheckedRawValue: "reviewer")

    private func member(_ number: Int, _ status: WorkerStatus, pending: Int = 0, blocked: Bool = false)
        -> WorkerPool.Member
    {
        let id = WorkerNaming.workerID(type: coder, number: number)
        return WorkerPool.Member(
            identity: WorkerIdentity(
                workerId: id,
                projectId: shop,
                workerType: coder,
                queueName: WorkerNaming.queueName(for: id)
            ),
            status: status,
            autoSpawnBlocked: blocked,
            pendingTasks: pending
        )
    }

    private func pool(_ members: [WorkerPool.Member], maxWorkers: Int = 2, policy: RoutingPolicy = RoutingPolicy())
        -> WorkerPool
    {
        WorkerPool(
            members: members,
            maxWorkers: [.init(project: shop, type: coder): maxWorkers, .init(project: shop, type: reviewer): 1],
            policy: policy
        )
    }

    @Test func prefersAnIdleWorkerThenSpawnsUpToTheCapThenTheShortestQueue() {
        var pool = pool([member(1, .active, pending: 1)])
        #expect(pool.route(coder, in: shop) == .spawn(WorkerID(uncheckedRawValue: "worker_coder_2"), isNew: true))
        #expect(pool.route(coder, in: shop) == .assign(QueueName(uncheckedRawValue: "queue_coder_1")))
        #expect(pool.route(coder, in: shop) == .assign(QueueName(uncheckedRawValue: "queue_coder_2")))
        var idle = self.pool([member(1, .active, pending: 2), member(2, .idle)])
        #expect(idle.route(coder, in: shop) == .assign(QueueName(uncheckedRawValue: "queue_coder_2")))
    }

    @Test func startsAFinishedWorkerAgainBeforeNumberingANewOne() {
        var pool = pool([member(1, .stopped), member(2, .finished)])
        #expect(pool.route(coder, in: shop) == .spawn(WorkerID(uncheckedRawValue: "worker_coder_2"), isNew: false))
        #expect(pool.runningCount == 1)
    }

    @Test func waitsWithAReasonThatSaysWhatWouldFreeIt() {
        var off = pool([], policy: RoutingPolicy(autoSpawn: false))
        #expect(off.route(coder, in: shop) == .wait(.autoSpawnOff(coder)))
        var looped = pool([member(1, .failed, blocked: true)])
        #expect(
            looped.route(coder, in: shop)
                == .wait(.crashLooped(coder, worker: WorkerID(uncheckedRawValue: "worker_coder_1")))
        )
        var capped = pool([member(1, .active, pending: 1)], policy: RoutingPolicy(maxRunningWorkers: 1))
        #expect(capped.route(reviewer, in: shop) == .wait(.globalCap(limit: 1)))
        var missing = pool([])
        let tester = WorkerTypeName(uncheckedRawValue: "tester")
        #expect(missing.route(tester, in: shop) == .wait(.workerTypeMissing(tester, project: shop)))
        #expect(WaitReason.globalCap(limit: 2).description.contains("runs 2 workers, its --max-workers limit"))
        #expect(WaitReason.autoSpawnOff(coder).description.contains("spawn_worker"))
    }

    @Test func dispatchRoutesTheBacklogAndDeadQueuesMostUrgentFirstAndTellsEachReasonOnce() {
        var pool = pool(
            [member(1, .finished), member(2, .active, pending: 1)],
            policy: RoutingPolicy(maxRunningWorkers: 2)
        )
        let now = Date()
        func task(_ id: Int64, _ queue: String?, _ priority: TicketPriority, waiting: String? = nil) -> QueueTask {
            Fixtures.task(
                id,
                type: id == 4 ? "reviewer" : "coder",
                queue: queue,
                priority: priority,
                waiting: waiting,
                at: now
            )
        }
        let capReason = WaitReason.globalCap(limit: 2).description
        let steps = Dispatch.plan(
            [
                task(1, "queue_coder_1", .low), task(2, "queue_coder_2", .low), task(3, nil, .urgent),
                task(4, nil, .medium, waiting: capReason),
            ],
            pool: &pool
        )
        #expect(steps.map(\.task.rawValue) == [3, 4, 1])
        #expect(steps[0].decision == .spawn(WorkerID(uncheckedRawValue: "worker_coder_1"), isNew: false))
        #expect(steps[1] == Dispatch.Step(task: TaskID(4), decision: .wait(.globalCap(limit: 2)), recordsEvent: false))
        #expect(steps[2].decision == .assign(QueueName(uncheckedRawValue: "queue_coder_1")))
    }
}
