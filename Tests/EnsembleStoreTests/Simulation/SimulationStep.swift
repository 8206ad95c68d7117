import EnsembleTestSupport

/// One operation of the simulation.
///
/// Choices are indices taken modulo what exists when the step runs, so any subsequence of a
/// failing run still replays (that is how failures are shrunk).
enum SimulationStep: Equatable, Sendable, CustomStringConvertible {
    /// How a worker's process ends.
    enum ExitKind: Int, CaseIterable, Sendable {
        case clean, crash, killed, hung, stopped, lost
    }

    /// How a completion is wrong.
    enum StaleKind: Int, CaseIterable, Sendable {
        case oldAttempt, otherWorker, finishedTask
    }

    /// `dependsOn` picks tickets of the same project (indices modulo those that exist).
    case createTicket(project: Int, stages: [Int], priority: Int, maxRounds: Int, dependsOn: [Int] = [])
    /// The coordinator makes one ticket wait for another (often refused: cycles, other projects).
    case addDependency(ticket: Int, dependsOn: Int)
    case removeDependency(index: Int)
    /// A worker completes its claim declaring `entries` new tickets, entry k depending on entry
    /// `links[k]` (so sometimes in a cycle, refused) and, with `onExisting`, on an existing ticket.
    case plan(worker: Int, entries: Int, links: [Int], onExisting: Int?)
    case launch
    case claim(worker: Int)
    case complete(worker: Int, outcome: Int)
    /// A worker's ordinary turn: claim (unless it holds a claim), then complete.
    case work(worker: Int, outcome: Int)
    case staleComplete(worker: Int, kind: StaleKind)
    case exit(worker: Int, kind: ExitKind)
    case launchFailure(worker: Int)
    case spawn(project: Int, type: Int, number: Int)
    /// The coordinator revives a failed worker with `spawn_worker`, as the waiting event advises.
    case revive(worker: Int)
    case stop(worker: Int)
    case updateStage(ticket: Int, stage: Int)
    /// The coordinator resumes a held ticket at its current stage.
    case resume(ticket: Int)
    /// The coordinator spawns a worker for a waiting task whose type has none running.
    case serveBacklog
    case close(ticket: Int, stopped: Bool)
    case updateType(project: Int, type: Int, maxWorkers: Int)
    case assign(ticket: Int, worker: Int)
    case deleteQueue(worker: Int)
    case coordinatorClaim(worker: Int)
    case coordinatorComplete(claim: Int, outcome: Int)
    case advanceClock(seconds: Int)
    /// The merge queue's verdict on a `merging` ticket: it lands, conflicts (back to a stage), or waits.
    case merge(ticket: Int, outcome: Int)
    case maintain
    case restart(autoSpawn: Bool, maxRunningWorkers: Int)

    var description: String {
        switch self {
        case .createTicket(let project, let stages, let priority, let rounds, let dependsOn):
            "createTicket(project: \(project), stages: \(stages), priority: \(priority), maxRounds: \(rounds), "
                + "dependsOn: \(dependsOn))"
        case .addDependency(let ticket, let dependsOn): "addDependency(ticket: \(ticket), dependsOn: \(dependsOn))"
        case .removeDependency(let index): "removeDependency(index: \(index))"
        case .plan(let worker, let entries, let links, let onExisting):
            "plan(worker: \(worker), entries: \(entries), links: \(links), onExisting: \(onExisting.map(String.init) ?? "nil"))"
        case .launch: "launch"
        case .claim(let worker): "claim(worker: \(worker))"
        case .complete(let worker, let outcome): "complete(worker: \(worker), outcome: \(outcome))"
        case .work(let worker, let outcome): "work(worker: \(worker), outcome: \(outcome))"
        case .staleComplete(let worker, let kind): "staleComplete(worker: \(worker), kind: .\(kind))"
        case .exit(let worker, let kind): "exit(worker: \(worker), kind: .\(kind))"
        case .launchFailure(let worker): "launchFailure(worker: \(worker))"
        case .spawn(let project, let type, let number): "spawn(project: \(project), type: \(type), number: \(number))"
        case .revive(let worker): "revive(worker: \(worker))"
        case .resume(let ticket): "resume(ticket: \(ticket))"
        case .serveBacklog: "serveBacklog"
        case .stop(let worker): "stop(worker: \(worker))"
        case .updateStage(let ticket, let stage): "updateStage(ticket: \(ticket), stage: \(stage))"
        case .close(let ticket, let stopped): "close(ticket: \(ticket), stopped: \(stopped))"
        case .updateType(let project, let type, let max):
            "updateType(project: \(project), type: \(type), maxWorkers: \(max))"
        case .assign(let ticket, let worker): "assign(ticket: \(ticket), worker: \(worker))"
        case .deleteQueue(let worker): "deleteQueue(worker: \(worker))"
        case .coordinatorClaim(let worker): "coordinatorClaim(worker: \(worker))"
        case .coordinatorComplete(let claim, let outcome): "coordinatorComplete(claim: \(claim), outcome: \(outcome))"
        case .advanceClock(let seconds): "advanceClock(seconds: \(seconds))"
        case .maintain: "maintain"
        case .restart(let autoSpawn, let cap): "restart(autoSpawn: \(autoSpawn), maxRunningWorkers: \(cap))"
        case .merge(let ticket, let outcome): "merge(ticket: \(ticket), outcome: \(outcome))"
        }
    }

    /// A random step, weighted towards the ordinary flow (launch, claim, complete).
    static func random(using generator: inout SeededGenerator) -> SimulationStep {
        func pick(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
        switch pick(0...99) {
        case 0..<8:
            return .createTicket(
                project: pick(0...1),
                stages: (0..<pick(1...4)).map { _ in pick(0...9) },
                priority: pick(0...3),
                maxRounds: [0, 1, 2, 5][pick(0...3)],
                dependsOn: pick(0...2) == 0 ? (0..<pick(1...2)).map { _ in pick(0...19) } : []
            )
        case 8..<17: return .launch
        case 17..<19: return .addDependency(ticket: pick(0...19), dependsOn: pick(0...19))
        case 19: return .removeDependency(index: pick(0...9))
        case 20..<28: return .claim(worker: pick(0...9))
        case 28..<40: return .complete(worker: pick(0...9), outcome: pick(0...9))
        case 40..<42:
            return .plan(
                worker: pick(0...9),
                entries: pick(1...4),
                links: (0..<4).map { _ in pick(0...4) },
                onExisting: pick(0...1) == 0 ? pick(0...19) : nil
            )
        case 42..<56: return .work(worker: pick(0...9), outcome: pick(0...9))
        case 56..<59: return .staleComplete(worker: pick(0...9), kind: SimulationStep.StaleKind.allCases[pick(0...2)])
        case 59..<65:
            let kinds: [ExitKind] = [.clean, .clean, .clean, .crash, .killed, .hung, .stopped, .lost]
            return .exit(worker: pick(0...9), kind: kinds[pick(0...7)])
        case 65: return .launchFailure(worker: pick(0...9))
        case 66: return .spawn(project: pick(0...1), type: pick(0...9), number: pick(1...4))
        case 67: return .serveBacklog
        case 68..<71: return .revive(worker: pick(0...9))
        case 71..<73: return .stop(worker: pick(0...9))
        case 73..<76: return .updateStage(ticket: pick(0...19), stage: pick(0...3))
        case 76..<78: return .resume(ticket: pick(0...19))
        case 78..<80: return .close(ticket: pick(0...19), stopped: pick(0...1) == 1)
        case 80..<82: return .updateType(project: pick(0...1), type: pick(0...9), maxWorkers: pick(1...3))
        case 82..<84: return .assign(ticket: pick(0...19), worker: pick(0...9))
        case 84..<86: return .deleteQueue(worker: pick(0...9))
        case 86..<89: return .coordinatorClaim(worker: pick(0...9))
        case 89..<91: return .coordinatorComplete(claim: pick(0...3), outcome: pick(0...9))
        case 91..<93: return .advanceClock(seconds: [5, 600, 2_000, 4_000][pick(0...3)])
        case 93..<95: return .merge(ticket: pick(0...9), outcome: pick(0...9))
        case 95..<98: return .maintain
        default: return .restart(autoSpawn: pick(0...4) > 0, maxRunningWorkers: pick(1...4))
        }
    }
}
