import EnsembleCore
import Foundation
import Logging

/// Start-up reconciliation: workers recorded as running by an earlier server process.
extension Supervisor {
    /// Stops leftover processes of an earlier server (their tokens died with it) and records each
    /// exit as a restart: claims go back without using an attempt, and the store marks workers
    /// with work left to start again.
    ///
    /// - Important: Run it holding the database lock and before the server takes requests, or a
    ///   second server's live workers, or tasks routed meanwhile, would be caught in it.
    func reconcileRecordedWorkers() async {
        let recorded: [Worker]
        do {
            recorded = try await store.workersRecordedRunning()
        } catch {
            logger.error("Cannot read recorded workers", metadata: [LogKey.error: "\(error)"])
            return
        }
        for worker in recorded {
            // The run id catches what the group signal cannot: a process spawned by a server that
            // died before recording its pid, and anything that left the worker's process group.
            await ProcessInspector.terminate(
                worker.process.pid,
                startedAt: worker.process.processStartedAt,
                runID: worker.process.sessionId,
                grace: configuration.stopGrace
            )
            guard worker.process.pid != nil || worker.status != .spawning else {
                // Marked to start and never recorded as started: it simply starts again.
                continue
            }
            do {
                let decision = try await store.recordExit(
                    worker.id,
                    exit: WorkerExit(termination: .signaled(SIGKILL)),
                    cause: .serverRestarted,
                    lifecycle: configuration.lifecycle
                )
                logger.info(
                    "Reconciled a worker left by an earlier server",
                    metadata: [
                        LogKey.workerID: "\(worker.id)",
                        "worker.resolution": "\(decision?.resolution, default: "none")",
                    ]
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
