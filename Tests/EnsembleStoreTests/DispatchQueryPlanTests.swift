import EnsembleTestSupport
import GRDB
import Testing

@testable import EnsembleStore

/// The dispatch pass of every write reads the backlog through its index: the groups from the
/// index alone, one group's tasks by a seek, never a sort.
struct DispatchQueryPlanTests {

    @Test func theBacklogsGroupsAreReadFromTheIndexAlone() async throws {
        let plan = try await queryPlan(of: EnsembleDatabase.backlogGroupsQuery)
        #expect(plan.contains("COVERING INDEX tasks_backlog"), "\(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
    }

    @Test func aGroupsTasksAreSoughtInTheIndex() async throws {
        let plan = try await queryPlan(
            of: EnsembleDatabase.backlogGroupQuery,
            arguments: ["acme/shop", "coder", "waiting", false]
        )
        #expect(plan.hasPrefix("SEARCH tasks USING INDEX tasks_backlog"), "\(plan)")
    }
}
