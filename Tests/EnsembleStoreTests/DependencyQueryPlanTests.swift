import EnsembleTestSupport
import GRDB
import Testing

@testable import EnsembleStore

/// Every `get_ticket` and every close reads dependencies: through the edge table's key and its
/// `ticket_dependents` index, never a scan, however many tickets there are.
struct DependencyQueryPlanTests {

    @Test func aTicketsLinksAreSoughtOnBothSides() async throws {
        let plan = try await queryPlan(of: EnsembleDatabase.linkedTicketsQuery, arguments: ["SHOP-1"])
        #expect(plan.contains("SEARCH d USING PRIMARY KEY (ticket_id=?)"), "\(plan)")
        #expect(plan.contains("SEARCH d USING COVERING INDEX ticket_dependents (depends_on=?)"), "\(plan)")
        #expect(!plan.contains("SCAN"), "\(plan)")
    }

    @Test func aClosingTicketsDependentsAreSoughtInTheIndex() async throws {
        let plan = try await queryPlan(
            of: EnsembleDatabase.waitingDependentsQuery,
            arguments: ["SHOP-1", "blocked", "on_hold"]
        )
        #expect(plan.contains("USING COVERING INDEX ticket_dependents (depends_on=?)"), "\(plan)")
        #expect(!plan.contains("SCAN"), "\(plan)")
    }
}
