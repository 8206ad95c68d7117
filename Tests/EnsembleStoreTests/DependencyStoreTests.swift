import EnsembleCore
import EnsembleTestSupport
import Foundation
import GRDB
import Testing

@testable import EnsembleStore

/// Ticket dependencies against the real store: every transition in the transaction of its cause,
/// every refused edit changing nothing, and nothing lost across a reopening.
struct DependencyStoreTests {
    private let coder = WorkerID(uncheckedRawValue: "worker_coder_1")
    private let coderQueue = QueueName(uncheckedRawValue: "queue_coder_1")

    private func ticket(dependingOn dependencies: [TicketID] = [], plan: [String] = ["coder"]) throws -> NewTicket {
        var new = try Fixtures.ticket(plan: plan)
        new.dependsOn = dependencies
        return new
    }

    /// Launches the coder, which claims and completes its next task.
    private func completeNext(in database: EnsembleDatabase) async throws -> ClaimedTask {
        _ = try? await database.recordTestLaunch(coder)
        let claim = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
        _ = try await database.completeStage(
            StageCompletion(
                ticketId: claim.ticketId,
                taskId: claim.taskId,
                attempt: claim.attempt,
                report: "done",
                outcome: .nextStage
            ),
            by: coder
        )
        return claim
    }

    private func expectInvariants(_ database: EnsembleDatabase) async throws {
        let violations = EnsembleInvariants.violations(in: try await database.snapshot())
        #expect(violations.isEmpty, "\(violations)")
    }

    private func events(_ type: EventType, of ticket: TicketID, in database: EnsembleDatabase) async throws -> [Event] {
        try await database.events(matching: EventQuery(types: [type], limit: 100)).filter { $0.ticketId == ticket }
    }

    private func liveTasks(of ticket: TicketID, in database: EnsembleDatabase) async throws -> [QueueTask] {
        try await database.snapshot().tasks.filter { $0.ticketId == ticket && $0.isLive }
    }

    @Test func aTicketWaitsForItsDependencyAndIsRoutedByTheCompletionOfIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let first = try await database.createTicket(try ticket())
        let second = try await database.createTicket(try ticket(dependingOn: [first.ticketId]))
        #expect(second.state == .blocked)
        #expect(try await liveTasks(of: second.ticketId, in: database).isEmpty)
        let blocked = try await events(.ticketBlocked, of: second.ticketId, in: database)
        #expect(
            blocked.map(\.reason) == ["waits for \(first.ticketId) (open): its stage 0 is queued once it completes"]
        )
        try await expectInvariants(database)

        let claim = try await completeNext(in: database)
        #expect(claim.ticketId == first.ticketId)

        let details = try await database.ticketDetails(second.ticketId)
        #expect(details.ticket.state == .open)
        #expect(details.dependsOn.map(\.ticketId) == [first.ticketId])
        #expect(details.dependsOn.first?.isCompleted == true)
        #expect(try await liveTasks(of: second.ticketId, in: database).map(\.stage) == [0])
        let history = try await database.events(matching: EventQuery(limit: 100))
        let completed = try #require(history.firstIndex { $0.eventType == .ticketCompleted })
        let unblocked = try #require(history.firstIndex { $0.eventType == .ticketUnblocked })
        #expect(completed < unblocked)
        #expect(history[unblocked].ticketId == second.ticketId)
        #expect(history[unblocked].payload["dependency"] == first.ticketId.rawValue)
        #expect(try await database.dependencies(of: first.ticketId).dependents.map(\.ticketId) == [second.ticketId])
        try await expectInvariants(database)
    }

    @Test func aStoppedDependencyHoldsItsDependentsUntilTheCoordinatorDecides() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let first = try await database.createTicket(try ticket())
        let second = try await database.createTicket(try ticket(dependingOn: [first.ticketId]))

        _ = try await database.closeTicket(first.ticketId, resolution: .stopped, reason: "not needed")

        let held = try await database.ticketDetails(second.ticketId)
        #expect(held.ticket.state == .onHold)
        let failed = try await events(.dependencyFailed, of: second.ticketId, in: database)
        #expect(failed.map { $0.payload["dependency"] } == [first.ticketId.rawValue])
        try await expectInvariants(database)

        // Resuming it while it still depends on the stopped ticket is refused, changing nothing.
        let before = try await database.snapshot()
        await #expect(throws: EnsembleError.dependencyStopped(second.ticketId, dependsOn: first.ticketId)) {
            try await database.updateStage(of: second.ticketId, to: .index(0))
        }
        #expect(try await database.snapshot() == before)

        // Without the dependency, the coordinator resumes it.
        _ = try await database.removeDependency(second.ticketId, dependsOn: first.ticketId)
        #expect(try await database.ticketDetails(second.ticketId).ticket.state == .onHold)
        _ = try await database.updateStage(of: second.ticketId, to: .index(0))
        #expect(try await liveTasks(of: second.ticketId, in: database).count == 1)
        try await expectInvariants(database)
    }

    @Test func badEditsAreRefusedWithOneSentenceAndChangeNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        _ = try await database.createProject(Fixtures.project("acme/web", path: directory.path))
        _ = try await database.createWorkerType(Fixtures.workerType("coder", in: "acme/web"))
        let a = try await database.createTicket(try ticket())
        let b = try await database.createTicket(try ticket(dependingOn: [a.ticketId]))
        let c = try await database.createTicket(try ticket(dependingOn: [b.ticketId]))
        let web = try await database.createTicket(try Fixtures.ticket(in: "acme/web", plan: ["coder"]))
        let stopped = try await database.createTicket(try ticket())
        _ = try await database.closeTicket(stopped.ticketId, resolution: .stopped, reason: nil)
        let unknown = TicketID(uncheckedRawValue: "SHOP-999")
        let before = try await database.snapshot()

        let refusals: [(TicketID, TicketID, EnsembleError)] = [
            (
                a.ticketId, c.ticketId,
                .dependencyCycle(a.ticketId, dependsOn: c.ticketId, cycle: [a, c, b, a].map(\.ticketId))
            ),
            (a.ticketId, a.ticketId, .dependencyOnItself(a.ticketId)),
            (
                a.ticketId, web.ticketId,
                .dependencyOfOtherProject(a.ticketId, dependsOn: web.ticketId, project: web.projectId)
            ),
            (a.ticketId, stopped.ticketId, .dependencyStopped(a.ticketId, dependsOn: stopped.ticketId)),
            (b.ticketId, a.ticketId, .dependencyAlreadyExists(b.ticketId, dependsOn: a.ticketId)),
            (a.ticketId, unknown, .ticketNotFound(unknown)),
            (stopped.ticketId, a.ticketId, .ticketClosed(stopped.ticketId)),
        ]
        for (ticket, dependency, expected) in refusals {
            await #expect(throws: expected) { try await database.addDependency(ticket, dependsOn: dependency) }
        }
        await #expect(throws: EnsembleError.dependencyNotFound(a.ticketId, dependsOn: b.ticketId)) {
            try await database.removeDependency(a.ticketId, dependsOn: b.ticketId)
        }
        await #expect(
            throws: EnsembleError.newTicketOnStoppedDependency(stopped.ticketId)
        ) {
            var new = try ticket(dependingOn: [stopped.ticketId])
            new.ticketId = TicketID(uncheckedRawValue: "SHOP-9")
            _ = try await database.createTicket(new)
        }
        await #expect(throws: EnsembleError.ticketNotFound(unknown)) {
            _ = try await database.createTicket(try ticket(dependingOn: [unknown]))
        }
        await #expect(throws: EnsembleError.dependencyOnItself(TicketID(uncheckedRawValue: "SHOP-9"))) {
            var new = try ticket(dependingOn: [TicketID(uncheckedRawValue: "SHOP-9")])
            new.ticketId = TicketID(uncheckedRawValue: "SHOP-9")
            _ = try await database.createTicket(new)
        }
        await #expect(throws: EnsembleError.ticketBlocked(b.ticketId, waitingFor: [a.ticketId])) {
            _ = try await database.assignTicket(b.ticketId, to: coderQueue)
        }
        #expect(try await database.snapshot() == before)
    }

    @Test func addingAnOpenDependencyWithdrawsTheQueuedStageAndRemovingItRoutesAtOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let a = try await database.createTicket(try ticket())
        let b = try await database.createTicket(try ticket())
        #expect(try await liveTasks(of: b.ticketId, in: database).count == 1)

        let added = try await database.addDependency(b.ticketId, dependsOn: a.ticketId)
        #expect(added.ticket.state == .blocked)
        #expect(added.dependsOn.map(\.ticketId) == [a.ticketId])
        #expect(try await liveTasks(of: b.ticketId, in: database).isEmpty)
        try await expectInvariants(database)

        let removed = try await database.removeDependency(b.ticketId, dependsOn: a.ticketId)
        #expect(removed.ticket.state == .open)
        #expect(removed.dependsOn.isEmpty)
        #expect(try await liveTasks(of: b.ticketId, in: database).count == 1)
        try await expectInvariants(database)

        // A worker's stage in progress is never thrown away for a new dependency.
        _ = try await database.recordTestLaunch(coder)
        let claim = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
        let other = claim.ticketId == a.ticketId ? b.ticketId : a.ticketId
        await #expect(throws: EnsembleError.ticketBusy(claim.ticketId, stage: 0)) {
            try await database.addDependency(claim.ticketId, dependsOn: other)
        }
    }

    @Test func getTicketShowsTheOldestDependentsWithinItsBudgetAndCountsTheRest() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let first = try await database.createTicket(try ticket())
        let dependents = [
            try await database.createTicket(try ticket(dependingOn: [first.ticketId])),
            try await database.createTicket(try ticket(dependingOn: [first.ticketId])),
        ]
        var budget = DetailsBudget()
        budget.maximumDependents = 1
        let details = try await database.ticketDetails(first.ticketId, upToComment: nil, within: budget)
        #expect(details.dependents.map(\.ticketId) == [dependents[0].ticketId])
        #expect(details.moreDependents == 1)
    }

    @Test func aBlockedTicketSurvivesReopeningAndIsUnblockedAfterIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("ensemble.db")
        var database = try EnsembleDatabase.open(at: path)
        _ = try await database.createProject(Fixtures.project(path: directory.path))
        _ = try await database.createWorkerType(Fixtures.workerType("coder"))
        let a = try await database.createTicket(try ticket())
        let b = try await database.createTicket(try ticket(dependingOn: [a.ticketId]))
        let c = try await database.createTicket(try ticket(dependingOn: [a.ticketId]))

        database = try EnsembleDatabase.open(at: path)
        #expect(try await database.ticketDetails(b.ticketId).ticket.state == .blocked)
        #expect(try await database.dependencies(of: a.ticketId).dependents.map(\.ticketId) == [b.ticketId, c.ticketId])
        _ = try await completeNext(in: database)

        database = try EnsembleDatabase.open(at: path)
        for id in [b.ticketId, c.ticketId] {
            #expect(try await database.ticketDetails(id).ticket.state == .open)
            #expect(try await liveTasks(of: id, in: database).count == 1)
        }
        try await expectInvariants(database)
    }

    @Test func aDatabaseOfTheLastSchemaKeepsItsTicketsWhenMigrated() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("old.db")
        let old = try DatabaseQueue(path: path)
        try EnsembleDatabase.migrator.migrate(old, upTo: "v8_backlog_index")
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO projects (repository_name, path, created_at, updated_at)
                        VALUES ('acme/shop', '/tmp', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000');
                    INSERT INTO tickets (ticket_id, project_id, title, description, execution_plan, state,
                        rework_rounds, max_rounds, created_at, updated_at)
                        VALUES ('SHOP-1', 'acme/shop', 'Old', 'd', '["coder"]', 'on_hold', 2, 3,
                            '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000');
                    INSERT INTO comments (ticket_id, worker_type, worker_id, stage_number, content, created_at)
                        VALUES ('SHOP-1', 'coder', 'worker_coder_1', 0, 'report', '2026-01-01 00:00:00.000');
                    INSERT INTO tasks (project_id, worker_type, ticket_id, stage, state, created_at, updated_at)
                        VALUES ('acme/shop', 'coder', 'SHOP-1', 0, 'discarded', '2026-01-01 00:00:00.000',
                            '2026-01-01 00:00:00.000');
                    """
            )
        }
        try old.close()

        let database = try EnsembleDatabase.open(at: path)
        let details = try await database.ticketDetails(TicketID(uncheckedRawValue: "SHOP-1"))
        #expect(details.ticket.state == .onHold)
        #expect(details.ticket.reworkRounds == 2)
        #expect(details.ticket.maxRounds == 3)
        #expect(details.ticket.parentTicketId == nil)
        #expect(details.comments.map(\.content) == ["report"])
        #expect(details.tasks.count == 1)
        #expect(details.dependsOn.isEmpty)

        // The rebuilt table is the one the other tables' foreign keys name, and they still cascade.
        try await database.writer.read { db throws in
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            for table in ["comments", "tasks", "ticket_dependencies"] {
                let targets = try Row.fetchAll(db, sql: "PRAGMA foreign_key_list(\(table))").map {
                    $0["table"] as String
                }
                #expect(targets.contains("tickets"), "\(table): \(targets)")
            }
        }
        _ = try await database.deleteProject(ProjectID(uncheckedRawValue: "acme/shop"))
        try await database.writer.read { db throws in
            for table in ["tickets", "comments", "tasks"] {
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") == 0, "\(table)")
            }
        }
    }
}
