import EnsembleCore
import EnsembleTestSupport
import EnsembleWorkers
import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Testing

@testable import EnsembleStore

/// The supervisor against a real in-memory store and a scripted fake launcher.
struct SupervisorTests {
    private let coder = WorkerID(uncheckedRawValue: "worker_coder_1")
    private let project = ProjectID(uncheckedRawValue: "acme/shop")
    private let coderType = WorkerTypeName(uncheckedRawValue: "coder")

    private func withSupervisor(
        _ database: EnsembleDatabase,
        _ launcher: FakeProcessLauncher,
        inactivity: Duration = .seconds(600),
        clock: any EnsembleClock = SystemClock(),
        _ body: (Supervisor) async throws -> Void
    ) async throws {
        let logs = try TemporaryDirectory("logs")
        defer { logs.remove() }
        let supervisor = TestSupervisor.make(
            store: database,
            launcher: launcher,
            logDirectory: logs.path,
            clock: clock,
            inactivity: inactivity
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await supervisor.run() }
            try await body(supervisor)
            group.cancelAll()
        }
    }

    @Test func aCrashLoopingWorkerIsRetiredAndItsTaskWaits() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let launcher = FakeProcessLauncher([.exit(code: 1)])

        try await withSupervisor(database, launcher) { supervisor in
            await supervisor.launchPending()
            try await EventWaiter.waitFor(in: database) { $0.contains { $0.eventType == .workerFailed } }
        }

        #expect(launcher.commands.count == 3)
        let worker = try await database.workerReport(coder).worker
        #expect(worker.status == .failed)
        #expect(worker.autoSpawnBlocked)
        #expect(worker.process.runCount == 3)
        #expect(try await database.ticketDetails(ticket.ticketId).tasks.first?.queueName == nil)
    }

    @Test func aCleanRunWithNothingLeftFinishesAndRecordsItsCost() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        _ = try await database.requestWorker(coder, project: project, type: coderType)
        let result =
            #"{"type":"result","is_error":false,"total_cost_usd":0.125,"num_turns":2,"usage":{"input_tokens":3,"output_tokens":4}}"#
        let launcher = FakeProcessLauncher([.exit(code: 0, lines: [result])])

        try await withSupervisor(database, launcher) { supervisor in
            await supervisor.launchPending()
            try await EventWaiter.waitFor(in: database) { $0.contains { $0.eventType == .workerFinished } }
        }

        let worker = try await database.workerReport(coder).worker
        #expect(worker.status == .finished)
        #expect(worker.usage == WorkerUsage(totalCostUsd: 0.125, inputTokens: 3, outputTokens: 4, turns: 2))
        let finished = try await database.events(matching: EventQuery(types: [.workerFinished]))
        #expect(finished.first?.payload == ["cost_usd": "0.1250", "turns": "2", "is_error": "false"])
        let command = try #require(launcher.commands.first)
        #expect(command.environment["VIBE_ENSEMBLE_WORKER_ID"] == "worker_coder_1")
    }

    @Test func aLookForWorkersToStartIsSkippedOnlyWhileNothingWasMarked() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let reviewer = WorkerID(uncheckedRawValue: "worker_reviewer_1")
        let launcher = FakeProcessLauncher([.runUntilSignalled(ignoresTerm: false)])

        try await withSupervisor(database, launcher) { supervisor in
            // Given a supervisor that looked once, with nothing marked
            await supervisor.launchPending()
            // When a worker is marked behind the store's count (as only a bug could) and a look follows
            let marks = database.spawnMarks
            try await database.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO workers (worker_id, project_id, worker_type, status, queue_name, created_at, updated_at)
                        VALUES ('worker_reviewer_1', 'acme/shop', 'reviewer', 'spawning', 'queue_reviewer_1', ?, ?)
                        """,
                    arguments: [Date(), Date()]
                )
            }
            await supervisor.launchPending()
            // Then that look read nothing and started nothing (unless a test beside this one marked
            // a worker meanwhile: the count is the process's), until a counted mark
            if database.spawnMarks == marks {
                #expect(await !supervisor.isRunning(reviewer))
            }
            _ = try await database.requestWorker(coder, project: project, type: coderType)
            await supervisor.launchPending()
            #expect(await supervisor.isRunning(coder))
            #expect(await supervisor.isRunning(reviewer))
        }
    }

    @Test func stopEndsTheProcessAndRecordsIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path, clock: clock)
        _ = try await database.requestWorker(coder, project: project, type: coderType)
        let launcher = FakeProcessLauncher([.runUntilSignalled(ignoresTerm: true)])

        try await withSupervisor(database, launcher, clock: clock) { supervisor in
            await supervisor.launchPending()
            #expect(await supervisor.isRunning(coder))
            // The process ignores SIGTERM: once the grace period runs, its end brings SIGKILL.
            async let stopped: Void = supervisor.stop(coder)
            await clock.sleeping(for: .seconds(5))
            clock.advance(by: .seconds(5))
            try await stopped
            #expect(await !supervisor.isRunning(coder))
        }

        // SIGTERM to the group, ignored; SIGKILL after the grace period; the sweep after exit.
        #expect(launcher.signals == [SIGTERM, SIGKILL, SIGKILL])
        #expect(try await database.workerReport(coder).worker.process.exitSignal == SIGKILL)
        #expect(try await database.workerReport(coder).worker.status == .stopped)
        let stopped = try await database.events(matching: EventQuery(types: [.workerStopped]))
        #expect(stopped.first?.reason?.contains("stopped by the coordinator") == true)
    }

    @Test func theWatchdogStopsASilentWorkerAndItsTaskIsRequeued() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path, clock: clock)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        _ = try await database.claimNextTask(in: QueueName(uncheckedRawValue: "queue_coder_1"), by: coder)
        let launcher = FakeProcessLauncher([.runUntilSignalled(), .runUntilSignalled()])

        try await withSupervisor(database, launcher, inactivity: .seconds(600), clock: clock) { supervisor in
            await supervisor.launchPending()
            await clock.sleeping(for: .seconds(1))
            // Silent for its whole stage timeout: the watchdog stops it
            clock.advance(by: .seconds(600))
            try await EventWaiter.waitFor(in: database) { $0.contains { $0.eventType == .taskRequeued } }
        }

        #expect(launcher.signals.first == SIGTERM)
        let task = try #require(try await database.ticketDetails(ticket.ticketId).tasks.first)
        #expect(task.lastError?.contains("killed by signal") == true)
        #expect(task.lastError?.contains("watchdog") == true)
        #expect(task.failures == 1)
    }

    @Test func aWorkerThatCannotStartFailsAtOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let launcher = FakeProcessLauncher([.failToLaunch("executable not found")])

        try await withSupervisor(database, launcher) { supervisor in
            await supervisor.launchPending()
            try await EventWaiter.waitFor(in: database) { $0.contains { $0.eventType == .workerFailed } }
        }

        #expect(launcher.commands.count == 1)
        let worker = try await database.workerReport(coder).worker
        #expect(worker.statusReason?.contains("executable not found") == true)
        #expect(worker.autoSpawnBlocked)
    }

    @Test func startUpReconcilesAWorkerWhoseProcessIsGone() async throws {
        // Given a worker recorded as running, with a queued task, whose process no longer exists
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        #expect(
            try await database.recordLaunch(
                coder,
                ProcessLaunch(pid: 2_000_000_000, processStartedAt: "1", sessionId: "old", logPath: "l")
            )
        )
        let launcher = FakeProcessLauncher([.runUntilSignalled()])

        // When the supervisor starts, it re-spawns the worker
        try await withSupervisor(database, launcher) { _ in
            try await EventWaiter.waitFor(in: database) { events in
                events.filter { $0.eventType == .workerSpawned }.count == 2
            }
        }

        #expect(launcher.commands.count == 1)
    }

    @Test func aShutdownDuringABackoffLeavesTheWorkerToStartWithTheServer() async throws {
        // Given a coder that crashed with its task left and now waits out its backoff
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path, clock: clock)
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let launcher = FakeProcessLauncher([.exit(code: 1), .runUntilSignalled()])
        let supervisor = TestSupervisor.make(
            store: database,
            launcher: launcher,
            logDirectory: directory.path,
            clock: clock,
            lifecycle: WorkerLifecycle(maximumQuickFailures: 3, backoffBase: .seconds(3))
        )
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: supervisor)], logger: Logger(label: "test"))
        )

        // When the server shuts down gracefully during that backoff
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await supervisor.launchPending()
            await clock.sleeping(for: .seconds(3))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }

        // Then it is not "stopped": it starts again with the server, and no attempt of its task is used
        let worker = try await database.workerReport(coder).worker
        #expect(worker.status == .spawning)
        #expect(worker.statusReason?.contains("restarts with the server") == true)
        #expect(try await database.events(matching: EventQuery(types: [.workerStopped])).isEmpty)
        #expect(launcher.commands.count == 1)
        #expect(try await database.ticketDetails(TicketID(uncheckedRawValue: "SHOP-1")).tasks.first?.failures == 0)
    }

    @Test func aShutdownRacingLaunchesAlwaysCompletes() async throws {
        // Given many rounds of a server that shuts down while launches are being requested
        for round in 0..<25 {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
            for _ in 0..<3 { _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"])) }
            let supervisor = TestSupervisor.make(
                store: database,
                launcher: FakeProcessLauncher([.runUntilSignalled(), .runUntilSignalled(), .runUntilSignalled()]),
                logDirectory: directory.path
            )
            let group = ServiceGroup(
                configuration: .init(services: [.init(service: supervisor)], logger: Logger(label: "test"))
            )

            // When launches and the shutdown race, in a different order each round
            let finished = try await withThrowingTaskGroup(of: Bool.self) { tasks in
                tasks.addTask {
                    try await group.run()
                    return true
                }
                tasks.addTask {
                    for _ in 0..<(round % 5) { await Task.yield() }
                    await group.triggerGracefulShutdown()
                    return true
                }
                tasks.addTask {
                    await supervisor.launchPending()
                    return true
                }
                // A hang would be found by this bound, not by the suite's overall timeout.
                tasks.addTask {
                    try await Task.sleep(for: .seconds(30))
                    return false
                }
                var ended = 0
                while let next = try await tasks.next() {
                    guard next else { return false }
                    ended += 1
                    if ended == 3 {
                        tasks.cancelAll()
                        return true
                    }
                }
                return false
            }

            // Then the supervisor stopped every time
            #expect(finished, "round \(round) did not shut down")
        }
    }

    @Test func theMaintenancePassRecordsALostRunAndStartsTheWorkerAgain() async throws {
        // Given a running supervisor, and a coder the store records as active though no process
        // of this server runs it (its exit was lost), with a ticket's task on its queue
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let database = try await TestStore.makeSeededDatabase(
            projectPath: directory.path,
            routing: RoutingPolicy(autoSpawn: false),
            clock: clock
        )
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let launcher = FakeProcessLauncher([.runUntilSignalled()])

        try await withSupervisor(database, launcher, clock: clock) { _ in
            await clock.sleeping(for: .seconds(600))
            _ = try await database.requestWorker(coder, project: project, type: coderType)
            #expect(
                try await database.recordTestLaunch(coder)
            )

            // When the next maintenance pass runs, it records the lost run and starts a real one
            clock.advance(by: .seconds(600))
            try await EventWaiter.waitFor(in: database) { events in
                events.filter { $0.eventType == .workerSpawned }.count == 2
            }
        }

        // Then the task stayed on the coder's queue for the run this server supervises
        #expect(launcher.commands.count == 1)
        #expect(try await database.workerReport(coder).worker.process.runCount == 2)
        #expect(try await database.ticketDetails(ticket.ticketId).tasks.first?.queueName?.rawValue == "queue_coder_1")
    }
}
