import EnsembleCore
import EnsembleTestSupport
import Foundation
import Testing

/// A pass that reads only `Dispatch.candidates` decides exactly what a pass over every queued
/// task decides, but for steps that change nothing (`Step.changes`): the store's narrower read
/// changes nothing but its cost.
struct DispatchCandidatesTests {
    private let projects = [ProjectID(uncheckedRawValue: "acme/shop"), ProjectID(uncheckedRawValue: "acme/web")]
    private let types = [WorkerTypeName(uncheckedRawValue: "coder"), WorkerTypeName(uncheckedRawValue: "reviewer")]
    private let statuses: [WorkerStatus] = [.spawning, .active, .idle, .finished, .failed, .stopped]

    @Test(arguments: 0..<300)
    func readingOnlyTheCandidatesPlansTheSameSteps(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed))
        let (pool, tasks) = randomScene(&random)

        let byID = Dictionary(uniqueKeysWithValues: tasks.map { ($0.id, $0) })
        let changing = { (steps: [Dispatch.Step]) in steps.filter { byID[$0.task].map($0.changes) ?? true } }

        var everything = pool
        let full = Dispatch.plan(tasks, pool: &everything)
        let scope = Dispatch.candidates(in: pool)
        var narrowed = pool
        let partial = Dispatch.plan(tasks.filter(scope.contains), pool: &narrowed)

        #expect(changing(partial) == changing(full), "seed \(seed)")
        #expect(narrowed == everything, "seed \(seed)")
    }

    @Test func theScenesCoverSettledWaitsLeftUnread() {
        var settled = 0
        for seed in 0..<300 {
            var random = SeededGenerator(seed: UInt64(seed))
            let (pool, tasks) = randomScene(&random)
            let scope = Dispatch.candidates(in: pool)
            settled += tasks.filter { $0.state == .queued && $0.queueName == nil && !scope.contains($0) }.count
        }
        #expect(settled > 20)
    }

    @Test func theScenesCoverParkedTasksThatMoveAndTasksLeftUnread() {
        var moved = 0
        var unread = 0
        for seed in 0..<300 {
            var random = SeededGenerator(seed: UInt64(seed))
            var (pool, tasks) = randomScene(&random)
            let scope = Dispatch.candidates(in: pool)
            unread += tasks.filter { $0.state == .queued && !scope.contains($0) }.count
            let parked = Set(tasks.filter { $0.queueName.map(pool.isLive) == true }.map(\.id))
            moved += Dispatch.plan(tasks, pool: &pool).filter { parked.contains($0.task) }.count
        }
        #expect(moved > 20)
        #expect(unread > 100)
    }

    /// One element of a non-empty list.
    private func pick<T>(_ items: [T], _ random: inout SeededGenerator) -> T {
        items[Int.random(in: 0..<items.count, using: &random)]
    }

    private func randomScene(_ random: inout SeededGenerator) -> (WorkerPool, [QueueTask]) {
        var members: [WorkerPool.Member] = []
        var queues: [QueueName] = []
        for project in projects {
            for type in types {
                for number in 1...Int.random(in: 0...3, using: &random) + 1 where Bool.random(using: &random) {
                    let id = WorkerNaming.workerID(type: type, number: number)
                    let queue = WorkerNaming.queueName(for: id)
                    queues.append(queue)
                    members.append(
                        WorkerPool.Member(
                            identity: WorkerIdentity(
                                workerId: id,
                                projectId: project,
                                workerType: type,
                                queueName: queue
                            ),
                            status: pick(statuses, &random),
                            autoSpawnBlocked: Int.random(in: 0..<6, using: &random) == 0,
                            pendingTasks: Int.random(in: 0...3, using: &random)
                        )
                    )
                }
            }
        }
        var caps: [WorkerPool.TypeKey: Int] = [:]
        for project in projects {
            for type in types where Int.random(in: 0..<8, using: &random) > 0 {
                caps[WorkerPool.TypeKey(project: project, type: type)] = Int.random(in: 1...3, using: &random)
            }
        }
        let policy = RoutingPolicy(
            autoSpawn: Bool.random(using: &random) || Bool.random(using: &random),
            maxRunningWorkers: Int.random(in: 1...8, using: &random)
        )
        let now = Date(timeIntervalSince1970: 1_764_590_400)
        let reasons = [nil, WaitReason.autoSpawnOff(types[0]).description, WaitReason.globalCap(limit: 2).description]
        let states: [TaskState] = [.queued, .queued, .queued, .claimed, .done]
        let tasks = (1...Int.random(in: 1...24, using: &random)).map { number in
            QueueTask(
                id: TaskID(Int64(number)),
                projectId: pick(projects, &random),
                workerType: pick(types, &random),
                queueName: Bool.random(using: &random) ? queues.randomElement(using: &random) : nil,
                ticketId: TicketID(uncheckedRawValue: "SHOP-\(number)"),
                stage: 0,
                state: pick(states, &random),
                attempt: 0,
                maxAttempts: 3,
                claimedBy: nil,
                leaseExpiresAt: nil,
                priority: pick(TicketPriority.allCases, &random),
                lastError: nil,
                waitingReason: pick(reasons, &random),
                isPinned: Int.random(in: 0..<4, using: &random) == 0,
                createdAt: now,
                updatedAt: now
            )
        }
        return (WorkerPool(members: members, maxWorkers: caps, policy: policy), tasks)
    }
}
