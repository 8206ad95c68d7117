import EnsembleCore
import Foundation
import Testing

struct TicketTests {
    private func makeTicket(plan: [String]) -> Ticket {
        Ticket(
            ticketId: TicketID(uncheckedRawValue: "T-1"),
            projectId: ProjectID(uncheckedRawValue: "acme/shop"),
            title: "t",
            description: "d",
            executionPlan: plan.map(WorkerTypeName.init(uncheckedRawValue:)),
            createdAt: Date(),
            updatedAt: Date()
        )
    }

    @Test func resolvesStageByIndexOrWorkerType() throws {
        let ticket = makeTicket(plan: ["planner", "coder", "reviewer"])
        #expect(try ticket.stageIndex(for: .index(2)) == 2)
        #expect(try ticket.stageIndex(for: .workerType(WorkerTypeName(uncheckedRawValue: "coder"))) == 1)
        #expect(ticket.currentWorkerType?.rawValue == "planner")
    }

    @Test func rejectsStagesOutsideThePlan() {
        let ticket = makeTicket(plan: ["planner", "coder"])
        #expect(throws: EnsembleError.stageOutOfRange(ticket.ticketId, stage: 2, stageCount: 2)) {
            try ticket.stageIndex(for: .index(2))
        }
        #expect(throws: EnsembleError.self) {
            try ticket.stageIndex(for: .workerType(WorkerTypeName(uncheckedRawValue: "tester")))
        }
    }

    @Test func newTicketNeedsATitleAndAPlan() throws {
        let project = try ProjectID(validating: "acme/shop")
        let coder = try WorkerTypeName(validating: "coder")
        #expect(throws: EnsembleError.self) {
            try NewTicket(projectId: project, title: "  ", description: "d", executionPlan: [coder])
        }
        #expect(throws: EnsembleError.self) {
            try NewTicket(projectId: project, title: "t", description: "d", executionPlan: [])
        }
        #expect(throws: EnsembleError.self) {
            try NewTicket(
                projectId: project,
                title: String(repeating: "x", count: 301),
                description: "d",
                executionPlan: [coder]
            )
        }
    }

    @Test(arguments: [
        ("acme/web-shop", "WEBSHOP"), ("shop", "SHOP"), ("acme/---", "TICKET"),
        ("o/verylongrepositoryname", "VERYLONGRE"),
    ])
    func derivesTicketPrefixFromRepositoryName(_ repository: String, _ prefix: String) {
        #expect(TicketIDPrefix.prefix(for: ProjectID(uncheckedRawValue: repository)) == prefix)
    }
}
