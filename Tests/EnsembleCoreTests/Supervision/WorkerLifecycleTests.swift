import EnsembleCore
import Testing

struct WorkerLifecycleTests {
    private let crash = WorkerExit(termination: .exited(code: 1))
    private let clean = WorkerExit(termination: .exited(code: 0))
    private let productive = WorkerExit(termination: .signaled(9), madeProgress: true)

    /// Feeds `exits` through the rule as the store would, carrying the failure count along.
    private func run(_ lifecycle: WorkerLifecycle, _ exits: [WorkerExit], cause: ExitCause = .ended)
        -> [WorkerLifecycle.Decision]
    {
        var failures = 0
        return exits.map { exit in
            let decision = lifecycle.decide(exit, cause: cause, hasPendingTasks: true, quickFailures: failures)
            failures = decision.quickFailures
            return decision
        }
    }

    @Test func finishesWhenTheQueueIsEmptyAndTheRunEndedWell() {
        let decision = WorkerLifecycle().decide(clean, cause: .ended, hasPendingTasks: false, quickFailures: 0)
        #expect(decision.resolution == .finished)
    }

    @Test func respawnsAtOnceAfterProgressAndWithGrowingBackoffOtherwise() {
        let lifecycle = WorkerLifecycle(maximumQuickFailures: 5, backoffBase: .seconds(1), backoffCap: .seconds(3))
        let decisions = run(lifecycle, [productive, crash, crash, crash])
        #expect(decisions.allSatisfy { if case .respawn = $0.resolution { true } else { false } })
        #expect(decisions.map(\.respawnDelay) == [.zero, .seconds(1), .seconds(2), .seconds(3)])
    }

    @Test func givesUpAfterQuickFailuresInARowAndBlocksAutoSpawn() {
        let decision = run(WorkerLifecycle(maximumQuickFailures: 3), [crash, clean, crash]).last
        guard case .failed(let reason, let blocks)? = decision?.resolution else {
            Issue.record("expected failure, got \(String(describing: decision))")
            return
        }
        #expect(blocks)
        #expect(reason.contains("3 runs in a row"))
    }

    @Test func progressResetsTheFailureCount() {
        let decisions = run(WorkerLifecycle(maximumQuickFailures: 2), [crash, productive, crash])
        #expect(decisions.map(\.quickFailures) == [1, 0, 1])
        guard case .respawn = decisions[2].resolution else {
            Issue.record("expected a re-spawn")
            return
        }
    }

    @Test func aRequestedStopWinsAndCountsNoFailure() {
        let decision = WorkerLifecycle().decide(
            crash,
            cause: .stopRequested(reason: "stopped by the coordinator"),
            hasPendingTasks: true,
            quickFailures: 2
        )
        guard case .stopped(let reason) = decision.resolution else {
            Issue.record("expected stopped, got \(decision)")
            return
        }
        #expect(reason.hasPrefix("stopped by the coordinator"))
        #expect(decision.quickFailures == 2)
    }

    @Test func aShutdownOrRestartLeavesWorkToRestartWithTheServer() {
        let lifecycle = WorkerLifecycle()
        for cause in [ExitCause.serverShutdown, .serverRestarted] {
            let busy = lifecycle.decide(crash, cause: cause, hasPendingTasks: true, quickFailures: 2)
            guard case .respawn = busy.resolution else {
                Issue.record("expected a re-spawn for \(cause), got \(busy)")
                continue
            }
            #expect(busy.quickFailures == 2)
            #expect(
                lifecycle.decide(crash, cause: cause, hasPendingTasks: false, quickFailures: 0).resolution == .finished
            )
        }
    }

    @Test func aHangIsABadEndEvenWithACleanExitCode() {
        let decision = WorkerLifecycle().decide(clean, cause: .hung, hasPendingTasks: false, quickFailures: 0)
        guard case .failed(let reason, false) = decision.resolution else {
            Issue.record("expected a plain failure, got \(decision)")
            return
        }
        #expect(reason.contains("watchdog"))
    }

    @Test func aLaunchFailureBlocksAtOnce() {
        let exit = WorkerExit(termination: .launchFailed("executable not found"))
        let decision = WorkerLifecycle().decide(exit, cause: .ended, hasPendingTasks: true, quickFailures: 0)
        #expect(
            decision.resolution
                == .failed(reason: "its process could not be started: executable not found", blocksAutoSpawn: true)
        )
    }

    @Test func onlyFailuresOfTheWorkUseAnAttempt() {
        let worker = WorkerID(uncheckedRawValue: "worker_coder_1")
        #expect(ExitCause.ended.releaseCause(of: worker, exit: crash).isFailure)
        #expect(ExitCause.hung.releaseCause(of: worker, exit: crash).isFailure)
        #expect(ExitCause.processLost.releaseCause(of: worker, exit: crash).isFailure)
        #expect(!ExitCause.stopRequested(reason: "x").releaseCause(of: worker, exit: crash).isFailure)
        #expect(!ExitCause.serverShutdown.releaseCause(of: worker, exit: crash).isFailure)
        #expect(!ExitCause.serverRestarted.releaseCause(of: worker, exit: crash).isFailure)
    }

    @Test func aBadEndWithNothingLeftFailsWithoutBlocking() {
        let decision = WorkerLifecycle().decide(crash, cause: .ended, hasPendingTasks: false, quickFailures: 0)
        #expect(decision.resolution == .failed(reason: "its process exited with code 1", blocksAutoSpawn: false))
    }
}
