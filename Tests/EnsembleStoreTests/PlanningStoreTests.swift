import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Foundation
import Testing

/// Tickets declared with a completion (`new_tickets`) against the real store: all of them, their
/// dependencies, the completion and the events in one transaction, or nothing at all.
struct PlanningStoreTests {
    private let planner = WorkerID(uncheckedRawValue: "worker_planner_1")
    private let plannerQueue = QueueName(uncheckedRawValue: "queue_planner_1")

    /// A store whose planners may create tickets, with one planning ticket claimed by the planner.
    private func plannerWithClaim(canCreateTickets: Bool = true) async throws -> (
        EnsembleDatabase, ClaimedTask, TemporaryDirectory
    ) {
        let directory = try TemporaryDirectory()
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        _ = try await database.updateWorkerType(
            WorkerTypeName(uncheckedRawValue: "planner"),
            in: ProjectID(uncheckedRawValue: "acme/shop"),
            with: WorkerTypeUpdate(canCreateTickets: canCreateTickets)
        )
        _ = try await database.createTicket(try Fixtures.ticket(plan: ["planner"]))
        _ = try await database.recordTestLaunch(planner)
        let claim = try #require(try await database.claimNextTask(in: plannerQueue, by: planner))
        return (database, claim, directory)
    }

    private func entry(_ ref: String, _ dependsOn: [String] = [], plan: [String] = ["coder"]) throws -> PlannedTicket {
        try PlannedTicket(
            ref: ref,
            title: "Build \(ref)",
            description: "The \(ref) part.",
            executionPlan: plan.map(WorkerTypeName.init(uncheckedRawValue:)),
            dependsOn: dependsOn
        )
    }

    private func complete(
        _ claim: ClaimedTask,
        declaring entries: [PlannedTicket],
        by worker: WorkerID? = nil,
        in database: EnsembleDatabase
    ) async throws -> StageCompletionResult {
        try await database.completeStage(
            StageCompletion(
                ticketId: claim.ticketId,
                taskId: claim.taskId,
                attempt: claim.attempt,
                report: "Planned the work.",
                newTickets: try TicketBatch(entries)
            ),
            by: worker ?? planner
        )
    }

    @Test func aPlannerDeclaresDependentTicketsThatRunInOrder() async throws {
        let (database, claim, directory) = try await plannerWithClaim()
        defer { directory.remove() }

        let result = try await complete(
            claim,
            declaring: [
                entry("b", ["a"]), entry("c", ["a", claim.ticketId.rawValue]), entry("a"),
                entry("d", [claim.ticketId.rawValue]),
            ],
            in: database
        )

        #expect(result.createdTickets.map(\.ref) == ["a", "d", "b", "c"])
        #expect(result.createdTickets.map(\.ticketId.rawValue) == ["SHOP-2", "SHOP-3", "SHOP-4", "SHOP-5"])
        // d waited for the planning ticket only, which this completion closed: it runs already.
        #expect(result.createdTickets.map(\.state) == [.open, .open, .blocked, .blocked])
        #expect(result.state == .closed)
        for created in result.createdTickets {
            #expect(try await database.ticketDetails(created.ticketId).ticket.parentTicketId == claim.ticketId)
        }
        #expect(
            try await database.dependencies(of: TicketID(uncheckedRawValue: "SHOP-5")).dependsOn.map(
                \.ticketId.rawValue
            ) == ["SHOP-1", "SHOP-2"]
        )
        let told = try await database.events(matching: EventQuery(types: [.ticketsCreated]))
        #expect(told.map(\.ticketId) == [claim.ticketId])
        #expect(told.first?.payload["ticket_ids"] == "SHOP-2,SHOP-3,SHOP-4,SHOP-5")
        #expect(told.first?.workerId == planner)
        let violations = EnsembleInvariants.violations(in: try await database.snapshot())
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test func aBadEntryAnywhereCreatesNothingAndTheClaimStands() async throws {
        let (database, claim, directory) = try await plannerWithClaim()
        defer { directory.remove() }
        _ = try await database.createTicket(try Fixtures.ticket(id: "SHOP-50", plan: ["coder"]))
        _ = try await database.createProject(Fixtures.project("acme/web", path: directory.path))
        _ = try await database.createWorkerType(Fixtures.workerType("coder", in: "acme/web"))
        let web = try await database.createTicket(try Fixtures.ticket(in: "acme/web", plan: ["coder"]))
        let before = try await database.snapshot()

        let declarations: [([PlannedTicket], String)] = [
            (
                [try entry("a"), try entry("b", ["a"], plan: ["tester"])],
                "new_tickets entry 'b': The execution plan names"
            ),
            ([try entry("a"), try entry("b", ["nope"])], "depends_on names 'nope', which is neither a ref"),
            ([try entry("SHOP-50")], "its ref is also the id of an existing ticket"),
            ([try entry("a", [web.ticketId.rawValue])], "neither a ref of new_tickets nor a ticket of this project"),
        ]
        for (entries, expected) in declarations {
            do {
                _ = try await complete(claim, declaring: entries, in: database)
                Issue.record("\(entries.map(\.ref)) was accepted")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
            }
            #expect(try await database.snapshot() == before)
        }

        // The same completion without the bad entry then goes through on the same claim.
        let result = try await complete(claim, declaring: [entry("a")], in: database)
        #expect(result.createdTickets.map(\.ref) == ["a"])
    }

    @Test func onlyTypesThatMayCreateTicketsAndTheCoordinatorDo() async throws {
        let (database, claim, directory) = try await plannerWithClaim(canCreateTickets: false)
        defer { directory.remove() }
        let before = try await database.snapshot()
        await #expect(throws: EnsembleError.cannotCreateTickets(WorkerTypeName(uncheckedRawValue: "planner"))) {
            _ = try await complete(claim, declaring: [entry("a")], in: database)
        }
        #expect(try await database.snapshot() == before)

        // The coordinator, acting as the worker of a claim of its own, always may.
        _ = try await database.createTicket(try Fixtures.ticket(plan: ["planner"]))
        let coordinatorClaim = try #require(try await database.claimNextTask(in: plannerQueue, by: .coordinator))
        let result = try await complete(coordinatorClaim, declaring: [entry("a")], by: .coordinator, in: database)
        #expect(result.createdTickets.count == 1)
    }
}

extension PlanningStoreTests {
    @Test func declaredTicketsMayPlanAgainOnlyAFewGenerationsDeep() async throws {
        let (database, first, directory) = try await plannerWithClaim()
        defer { directory.remove() }
        var claim = first
        for generation in 1...TicketBatch.maximumDepth {
            let result = try await complete(claim, declaring: [try entry("next", plan: ["planner"])], in: database)
            #expect(result.createdTickets.count == 1, "generation \(generation)")
            claim = try #require(try await database.claimNextTask(in: plannerQueue, by: planner))
        }
        let before = try await database.snapshot()
        await #expect(throws: EnsembleError.ticketsTooDeep(claim.ticketId, depth: TicketBatch.maximumDepth)) {
            _ = try await complete(claim, declaring: [try entry("next", plan: ["planner"])], in: database)
        }
        #expect(try await database.snapshot() == before)
    }
}
