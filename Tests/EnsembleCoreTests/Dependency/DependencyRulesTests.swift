import EnsembleCore
import Foundation
import Testing

struct DependencyRulesTests {
    private func ticket(
        _ id: String,
        state: TicketState = .open,
        resolution: TicketResolution? = nil,
        project: String = "acme/shop",
        stage: Int = 0
    ) -> Ticket {
        Ticket(
            ticketId: TicketID(uncheckedRawValue: id),
            projectId: ProjectID(uncheckedRawValue: project),
            title: "t",
            description: "d",
            executionPlan: ["coder", "reviewer"].map(WorkerTypeName.init(uncheckedRawValue:)),
            currentStage: stage,
            state: state,
            resolution: resolution,
            createdAt: Date(),
            updatedAt: Date()
        )
    }

    private func id(_ raw: String) -> TicketID { TicketID(uncheckedRawValue: raw) }

    private func edge(_ from: String, _ to: String) -> TicketDependency {
        TicketDependency(id(from), dependsOn: id(to))
    }

    private func events(_ effects: [TicketEffect]) -> [EventType] {
        effects.compactMap { if case .record(let event) = $0 { event.type } else { nil } }
    }

    private func enqueued(_ effects: [TicketEffect]) -> [Int] {
        effects.compactMap { if case .enqueue(let stage) = $0 { stage } else { nil } }
    }

    @Test func readinessIsReadyOnlyWhenEveryDependencyCompleted() {
        let done = DependencyStatus(ticket("A", state: .closed, resolution: .completed))
        let open = DependencyStatus(ticket("B", state: .inProgress))
        let stopped = DependencyStatus(ticket("C", state: .closed, resolution: .stopped))
        #expect(DependencyReadiness([]) == .ready)
        #expect(DependencyReadiness([done]) == .ready)
        #expect(DependencyReadiness([done, open]) == .waiting(on: [open]))
        #expect(DependencyReadiness([done, open, stopped]) == .failed(stopped))
        #expect(DependencyReadiness([done, open]).waitingList == "B (in_progress)")
    }

    @Test func aNewTicketIsBlockedWhileADependencyIsOpenAndRefusedOnAStoppedOne() throws {
        let project = ProjectID(uncheckedRawValue: "acme/shop")
        #expect(try DependencyRules.checkNew(id("N"), of: project, dependingOn: []).state == .open)
        #expect(try DependencyRules.checkNew(id("N"), of: project, dependingOn: [ticket("A")]).state == .blocked)
        #expect(
            try DependencyRules.checkNew(
                id("N"),
                of: project,
                dependingOn: [ticket("A", state: .closed, resolution: .completed)]
            ).state == .open
        )
        #expect(throws: EnsembleError.newTicketOnStoppedDependency(id("A"))) {
            try DependencyRules.checkNew(
                self.id("N"),
                of: project,
                dependingOn: [self.ticket("A", state: .closed, resolution: .stopped)]
            )
        }
        #expect(
            throws: EnsembleError.dependencyOfOtherProject(
                id("N"),
                dependsOn: id("W"),
                project: ProjectID(uncheckedRawValue: "acme/web")
            )
        ) {
            try DependencyRules.checkNew(
                self.id("N"),
                of: project,
                dependingOn: [self.ticket("W", project: "acme/web")]
            )
        }
    }

    @Test func addingRefusesItselfOtherProjectsStoppedTicketsDuplicatesAndCycles() {
        let graph = DependencyGraph([edge("B", "A"), edge("C", "B")])
        let a = ticket("A")
        let c = ticket("C")
        #expect(throws: EnsembleError.dependencyOnItself(id("A"))) {
            try DependencyRules.checkAdding(a, to: a, in: graph)
        }
        #expect(
            throws: EnsembleError.dependencyCycle(id("A"), dependsOn: id("C"), cycle: ["A", "C", "B", "A"].map(id))
        ) {
            try DependencyRules.checkAdding(c, to: a, in: graph)
        }
        #expect(throws: EnsembleError.dependencyAlreadyExists(id("C"), dependsOn: id("B"))) {
            try DependencyRules.checkAdding(self.ticket("B"), to: c, in: graph)
        }
        #expect(throws: EnsembleError.dependencyStopped(id("C"), dependsOn: id("S"))) {
            try DependencyRules.checkAdding(self.ticket("S", state: .closed, resolution: .stopped), to: c, in: graph)
        }
        #expect(throws: EnsembleError.ticketClosed(id("D"))) {
            try DependencyRules.checkAdding(a, to: self.ticket("D", state: .closed, resolution: .completed), in: graph)
        }
        #expect(throws: (any Error).self) {
            try DependencyRules.checkAdding(self.ticket("W", project: "acme/web"), to: c, in: graph)
        }
        #expect(throws: Never.self) { try DependencyRules.checkAdding(a, to: c, in: graph) }
    }

    @Test func addingAnOpenDependencyWithdrawsAQueuedStageAndRefusesWorkInProgress() throws {
        let effects = try DependencyRules.added(ticket("A"), to: ticket("C", stage: 1))
        guard case .discardLiveTasks? = effects.first else {
            Issue.record("the queued stage is not withdrawn first: \(effects)")
            return
        }
        #expect(effects.contains(.block))
        #expect(events(effects) == [.dependencyAdded, .ticketBlocked])
        #expect(throws: EnsembleError.ticketBusy(id("C"), stage: 1)) {
            try DependencyRules.added(self.ticket("A"), to: self.ticket("C", state: .inProgress, stage: 1))
        }
        let completed = try DependencyRules.added(
            ticket("A", state: .closed, resolution: .completed),
            to: ticket("C", state: .inProgress)
        )
        #expect(events(completed) == [.dependencyAdded])
        #expect(!completed.contains(.block))
        #expect(try DependencyRules.added(ticket("A"), to: ticket("C", state: .blocked)).count == 1)
    }

    @Test func theLastDependencyCompletingUnblocksAndQueuesTheCurrentStage() {
        let closed = ticket("A", state: .closed, resolution: .completed)
        let dependent = ticket("C", state: .blocked, stage: 1)
        let effects = DependencyRules.dependencyClosed(closed, dependent: dependent, readiness: .ready)
        #expect(effects.contains(.move(toStage: 1, lastCompletedStage: nil, reworkRounds: 0)))
        #expect(enqueued(effects) == [1])
        #expect(events(effects) == [.ticketUnblocked])
        let stillWaiting = DependencyRules.dependencyClosed(
            closed,
            dependent: dependent,
            readiness: .waiting(on: [DependencyStatus(ticket("B"))])
        )
        #expect(stillWaiting.isEmpty)
    }

    @Test func aStoppedDependencyHoldsABlockedTicketAndTellsAHeldOne() {
        let stopped = ticket("A", state: .closed, resolution: .stopped)
        let failed = DependencyReadiness.failed(DependencyStatus(stopped))
        let blocked = DependencyRules.dependencyClosed(
            stopped,
            dependent: ticket("C", state: .blocked),
            readiness: failed
        )
        #expect(blocked.first == .hold)
        #expect(events(blocked) == [.dependencyFailed])
        #expect(enqueued(blocked).isEmpty)
        let held = DependencyRules.dependencyClosed(stopped, dependent: ticket("C", state: .onHold), readiness: failed)
        #expect(held.count == 1)
        #expect(events(held) == [.dependencyFailed])
        // A second stopped dependency is reported too, by its own id, though the first still fails the readiness.
        let second = DependencyRules.dependencyClosed(
            ticket("B", state: .closed, resolution: .stopped),
            dependent: ticket("C", state: .onHold),
            readiness: failed
        )
        guard case .record(let event)? = second.first else {
            Issue.record("no event for the second stopped dependency: \(second)")
            return
        }
        #expect(event.payload["dependency"] == "B")
    }

    @Test func removingTheLastOpenDependencyUnblocks() {
        let blocked = ticket("C", state: .blocked)
        #expect(enqueued(DependencyRules.removed(id("A"), from: blocked, leaving: .ready)) == [0])
        let waiting = DependencyRules.removed(
            id("A"),
            from: blocked,
            leaving: .waiting(on: [DependencyStatus(ticket("B"))])
        )
        #expect(events(waiting) == [.dependencyRemoved])
        #expect(enqueued(DependencyRules.removed(id("A"), from: ticket("C", state: .onHold), leaving: .ready)).isEmpty)
    }

    @Test func theCoordinatorsOverrideOfAWaitingTicketMovesItButKeepsItBlocked() throws {
        let waiting = try StageProgression.override(
            ticket("C", state: .onHold, stage: 1),
            to: 0,
            readiness: .waiting(on: [DependencyStatus(ticket("A"))])
        )
        #expect(enqueued(waiting).isEmpty)
        #expect(waiting.contains(.block))
        #expect(events(waiting) == [.ticketStageUpdated, .ticketBlocked])
        #expect(throws: EnsembleError.dependencyStopped(id("C"), dependsOn: id("A"))) {
            try StageProgression.override(
                self.ticket("C", state: .onHold),
                to: 0,
                readiness: .failed(DependencyStatus(self.ticket("A", state: .closed, resolution: .stopped)))
            )
        }
    }

    @Test func theGraphFindsTheShortestChainAndAnyCycle() {
        let graph = DependencyGraph([edge("D", "C"), edge("C", "B"), edge("B", "A"), edge("D", "A")])
        #expect(graph.path(from: id("D"), to: id("A")) == ["D", "A"].map(id))
        #expect(graph.path(from: id("A"), to: id("D")) == nil)
        #expect(graph.cycle(adding: edge("A", "D")) == ["A", "D", "A"].map(id))
        #expect(graph.anyCycle() == nil)
        var cyclic = graph
        cyclic.add(edge("A", "C"))
        #expect(cyclic.anyCycle() != nil)
    }
}
