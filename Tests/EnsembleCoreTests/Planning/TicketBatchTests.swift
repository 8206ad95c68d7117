import EnsembleCore
import Testing

struct TicketBatchTests {
    private func entry(_ ref: String, _ dependsOn: [String] = [], title: String = "t") throws -> PlannedTicket {
        try PlannedTicket(
            ref: ref,
            title: title,
            description: "d",
            executionPlan: [WorkerTypeName(uncheckedRawValue: "coder")],
            dependsOn: dependsOn
        )
    }

    @Test func entriesComeAfterTheEntriesTheyDependOn() throws {
        let batch = try TicketBatch([entry("ui", ["api", "SHOP-3"]), entry("api", ["db"]), entry("db"), entry("docs")])
        #expect(batch.ordered.map(\.ref) == ["db", "docs", "api", "ui"])
        #expect(batch.isRef("api"))
        #expect(!batch.isRef("SHOP-3"))
    }

    @Test func aBadDeclarationIsRefusedAsAWhole() throws {
        #expect(throws: EnsembleError.self) { try TicketBatch([self.entry("a"), self.entry("a")]) }
        #expect(throws: EnsembleError.self) { try TicketBatch([self.entry("a", ["a"])]) }
        #expect(throws: EnsembleError.self) { try TicketBatch([self.entry("a", ["b"]), self.entry("b", ["a"])]) }
        #expect(throws: EnsembleError.self) {
            try TicketBatch((0...TicketBatch.maximumCount).map { try self.entry("e\($0)") })
        }
        #expect(throws: EnsembleError.self) { try self.entry("two words") }
        #expect(throws: EnsembleError.self) { try self.entry("") }
        #expect(throws: EnsembleError.self) { try self.entry("a", title: " ") }
    }

    @Test func theRefusalNamesTheEntriesAndWhatToDo() {
        do {
            _ = try TicketBatch([entry("a", ["b"]), entry("b", ["a"]), entry("c")])
            Issue.record("a cycle was accepted")
        } catch {
            #expect("\(error)".contains("new_tickets entries a, b depend on each other in a cycle"))
        }
        do {
            _ = try entry("api", title: "")
            Issue.record("an empty title was accepted")
        } catch {
            #expect("\(error)".hasPrefix("new_tickets entry 'api': title must not be empty"))
        }
    }

    @Test func repeatedDependenciesCountOnce() throws {
        #expect(try entry("a", ["b", "b", "SHOP-1"]).dependsOn == ["b", "SHOP-1"])
    }
}
