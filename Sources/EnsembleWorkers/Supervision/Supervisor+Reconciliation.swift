import EnsembleCore
import Foundation
import Logging

/// Start-up reconciliation: workers recorded as running by an earlier server process.
extension Supervisor {
    /// Stops leftover processes of an earlier server (their tokens died with it), returns their
    /// claims to the queues, and marks workers with work left to start again.
    func reconcileRecordedWorkers() async {
        let recorded: [Worker]
        do {
            recorded = try await store.workersRecordedRunning()
        } catch {
            logger.error("Cannot read recorded workers", metadata: [LogKey.error: "\(error)"])
            return
        }
        for worker in recorded where worker.process.pid != nil || worker.status != .spawning {
            if let pid = worker.process.pid {
                await ProcessInspector.terminateGroup(
                    pid,
                    startedAt: worker.process.processStartedAt,
                    grace: configuration.stopGrace
                )
            }
            let pending = (try? await store.pendingTaskCount(of: worker.id)) ?? 0
            let resolution: WorkerExitResolution =
                pending > 0 ? .respawn(reason: "the server restarted while it ran") : .finished
            do {
                try await store.recordExit(
                    worker.id,
                    exit: WorkerExit(termination: .signaled(SIGKILL)),
                    resolution: resolution
                )
                logger.info(
                    "Reconciled a worker left by an earlier server",
                    metadata: [LogKey.workerID: "\(worker.id)", "worker.pending_tasks": "\(pending)"]
                )
            } catch {
                logger.error(
                    "Cannot reconcile a worker",
                    metadata: [LogKey.workerID: "\(worker.id)", LogKey.error: "\(error)"]
                )
            }
        }
    }
}
