import EnsembleCore
import Testing

struct WorkerLifecycleTests {
    private let crash = WorkerExit(termination: .exited(code: 1))
    private let clean = WorkerExit(termination: .exited(code: 0))
    private let productive = WorkerExit(termination: .signaled(9), madeProgress: true)

    @Test func finishesWhenTheQueueIsEmptyAndTheRunEndedWell() {
        var lifecycle = WorkerLifecycle()
        #expect(lifecycle.processExited(clean, hasPendingTasks: false, isStopRequested: false) == .resolve(.finished))
    }

    @Test func respawnsAtOnceAfterProgressAndWithGrowingBackoffOtherwise() {
        var lifecycle = WorkerLifecycle(maximumQuickFailures: 5, backoffBase: .seconds(1), backoffCap: .seconds(3))
        guard
            case .respawn(let first, _) = lifecycle.processExited(
                productive,
                hasPendingTasks: true,
                isStopRequested: false
            ),
            case .respawn(let second, _) = lifecycle.processExited(crash, hasPendingTasks: true, isStopRequested: false),
            case .respawn(let third, _) = lifecycle.processExited(crash, hasPendingTasks: true, isStopRequested: false),
            case .respawn(let capped, _) = lifecycle.processExited(crash, hasPendingTasks: true, isStopRequested: false)
        else {
            Issue.record("expected four re-spawns")
            return
        }
        #expect([first, second, third, capped] == [.zero, .seconds(1), .seconds(2), .seconds(3)])
    }

    @Test func givesUpAfterQuickFailuresInARowAndBlocksAutoSpawn() {
        var lifecycle = WorkerLifecycle(maximumQuickFailures: 3)
        _ = lifecycle.processExited(crash, hasPendingTasks: true, isStopRequested: false)
        _ = lifecycle.processExited(clean, hasPendingTasks: true, isStopRequested: false)
        let decision = lifecycle.processExited(crash, hasPendingTasks: true, isStopRequested: false)
        guard case .resolve(.failed(let reason, let blocks)) = decision else {
            Issue.record("expected failure, got \(decision)")
            return
        }
        #expect(blocks)
        #expect(reason.contains("3 runs in a row"))
    }

    @Test func progressResetsTheFailureCount() {
        var lifecycle = WorkerLifecycle(maximumQuickFailures: 2)
        _ = lifecycle.processExited(crash, hasPendingTasks: true, isStopRequested: false)
        _ = lifecycle.processExited(productive, hasPendingTasks: true, isStopRequested: false)
        #expect(lifecycle.quickFailures == 0)
        guard case .respawn = lifecycle.processExited(crash, hasPendingTasks: true, isStopRequested: false) else {
            Issue.record("expected a re-spawn")
            return
        }
    }

    @Test func aRequestedStopWins() {
        var lifecycle = WorkerLifecycle()
        let decision = lifecycle.processExited(crash, hasPendingTasks: true, isStopRequested: true)
        guard case .resolve(.stopped) = decision else {
            Issue.record("expected stopped, got \(decision)")
            return
        }
    }

    @Test func aBadEndWithNothingLeftFailsWithoutBlocking() {
        var lifecycle = WorkerLifecycle()
        #expect(
            lifecycle.processExited(crash, hasPendingTasks: false, isStopRequested: false)
                == .resolve(.failed(reason: "its process exited with code 1", blocksAutoSpawn: false))
        )
    }
}
