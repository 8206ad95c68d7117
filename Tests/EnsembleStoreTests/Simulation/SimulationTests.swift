import EnsembleTestSupport
import Foundation
import Testing

extension Tag {
    /// The long simulation run: `VIBE_ENSEMBLE_SIMULATION_SEEDS=2000 swift test --filter SimulationTests`.
    @Tag static var simulation: Self
}

/// A deterministic simulation in the spirit of FoundationDB's and TigerBeetle's.
///
/// Seeded random histories of every operation run against the real store, with every invariant
/// checked after every step, and end with a drain that must close every ticket. A failure prints its seed and the shortest step list that still fails, so it replays
/// (`VIBE_ENSEMBLE_SIMULATION_SEED=<seed>` runs just that seed).
struct SimulationTests {
    private static let environment = ProcessInfo.processInfo.environment
    /// Seeds per shard in the default run: 4 shards × 10 seeds × 250 steps = 10,000 steps.
    private static let seedsPerShard = Int(environment["VIBE_ENSEMBLE_SIMULATION_SEEDS"] ?? "") ?? 10
    private static let stepsPerSeed = Int(environment["VIBE_ENSEMBLE_SIMULATION_STEPS"] ?? "") ?? 250

    @Test(.tags(.simulation), arguments: 0..<4)
    func randomHistoriesKeepEveryInvariant(shard: Int) async throws {
        let seeds: [UInt64] =
            if let only = Self.environment["VIBE_ENSEMBLE_SIMULATION_SEED"].flatMap(UInt64.init) {
                shard == 0 ? [only] : []
            } else {
                (0..<Self.seedsPerShard).map { UInt64(shard * Self.seedsPerShard + $0 + 1) }
            }
        for seed in seeds {
            let steps = Self.steps(seed: seed, count: Self.stepsPerSeed)
            guard let failure = try await Simulation.replay(steps) else { continue }
            let shortest = try await Self.shrink(steps)
            Issue.record(
                """
                Simulation seed \(seed) broke an invariant \(failure).
                Shortest failing history (\(shortest.steps.count) steps), \(shortest.failure):
                \(shortest.steps.enumerated().map { "  \($0.offset + 1). \($0.element)" }.joined(separator: "\n"))
                Replay: VIBE_ENSEMBLE_SIMULATION_SEED=\(seed) swift test --filter SimulationTests
                """
            )
            return
        }
    }

    @Test func theGeneratorReplaysTheSameHistoryForTheSameSeed() {
        #expect(Self.steps(seed: 7, count: 50) == Self.steps(seed: 7, count: 50))
        #expect(Self.steps(seed: 7, count: 50) != Self.steps(seed: 8, count: 50))
    }

    @Test func aHeldTicketResumesAndAStaleCompletionIsRefused() async throws {
        // The first reproduction of the issue, as a fixed history: a worker holds the ticket, the
        // coordinator resumes it with update_ticket_stage, and the drain must then close it.
        let steps: [SimulationStep] = [
            .createTicket(project: 0, stages: [1], priority: 1, maxRounds: 5), .launch, .claim(worker: 0),
            .complete(worker: 0, outcome: 9), .updateStage(ticket: 0, stage: 0),
            .staleComplete(worker: 0, kind: .finishedTask),
        ]
        let failure = try await Simulation.replay(steps)
        #expect(failure == nil, "\(String(describing: failure))")
    }

    @Test func aChainOfDependenciesRunsInOrderAndAStoppedLinkIsLeftToTheCoordinator() async throws {
        // A ← B ← C, and D ← E: C is refused as A's dependency (a cycle); D is stopped, so E is
        // held; the drain (a coordinator that leaves out stopped dependencies) must close them all.
        let steps: [SimulationStep] = [
            .createTicket(project: 0, stages: [1], priority: 1, maxRounds: 5),
            .createTicket(project: 0, stages: [1, 2], priority: 1, maxRounds: 5, dependsOn: [0]),
            .createTicket(project: 0, stages: [2], priority: 1, maxRounds: 5, dependsOn: [1]),
            .addDependency(ticket: 0, dependsOn: 2), .addDependency(ticket: 2, dependsOn: 2),
            .createTicket(project: 0, stages: [1], priority: 1, maxRounds: 5),
            .createTicket(project: 0, stages: [1], priority: 1, maxRounds: 5, dependsOn: [3]),
            .close(ticket: 3, stopped: true), .launch, .work(worker: 0, outcome: 0), .work(worker: 0, outcome: 0),
        ]
        let failure = try await Simulation.replay(steps)
        #expect(failure == nil, "\(String(describing: failure))")
    }

    // MARK: - Private helpers

    private static func steps(seed: UInt64, count: Int) -> [SimulationStep] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in SimulationStep.random(using: &generator) }
    }

    /// The shortest failing subsequence found by removing chunks, then single steps (delta debugging).
    private static func shrink(_ steps: [SimulationStep]) async throws -> (
        steps: [SimulationStep], failure: Simulation.Failure
    ) {
        guard var failure = try await Simulation.replay(steps) else { return (steps, .init(step: 0, problems: [])) }
        var current = Array(steps.prefix(failure.step))
        var chunk = max(1, current.count / 2)
        while chunk >= 1 {
            var start = 0
            var removedAny = false
            while start < current.count {
                var candidate = current
                candidate.removeSubrange(start..<min(current.count, start + chunk))
                if let smaller = try await Simulation.replay(candidate) {
                    current = Array(candidate.prefix(smaller.step))
                    failure = smaller
                    removedAny = true
                } else {
                    start += chunk
                }
            }
            if !removedAny || chunk == 1 { chunk /= 2 }
        }
        return (current, failure)
    }
}
