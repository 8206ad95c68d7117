import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import EnsembleWorkers
import Foundation
import Testing

/// Real processes: a run's marker finds them wherever they went, and reconciliation ends them.
struct ProcessInspectorTests {
    /// A shell started with `posix_spawn` (Foundation's `Process` closes every possible descriptor
    /// in the child, which takes seconds under a high descriptor limit).
    private struct Shell {
        let pid: Int32

        /// Starts `script` under `/bin/sh`, carrying `runID`.
        init(_ script: String, runID: String) throws {
            let arguments = ["/bin/sh", "-c", script]
            let environment = ["PATH=/usr/bin:/bin", "\(ProcessInspector.runIDVariable)=\(runID)"]
            var argv = arguments.map { strdup($0) } + [nil]
            var envp = environment.map { strdup($0) } + [nil]
            defer { for pointer in argv + envp { free(pointer) } }
            var pid: Int32 = 0
            guard posix_spawn(&pid, "/bin/sh", nil, nil, &argv, &envp) == 0 else { throw CocoaError(.executableLoad) }
            self.pid = pid
        }

        /// Waits for the shell to end; returns the signal that ended it, or `nil`.
        func waitForSignal() -> Int32? {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            return status & 0x7f == 0 ? nil : status & 0x7f
        }
    }

    /// Waits (bounded, without sleeping on a guess) until `runID` has `count` live processes.
    private func waitForProcesses(ofRun runID: String, count: Int) async -> [Int32] {
        var found = ProcessInspector.processes(ofRun: runID)
        var rounds = 0
        while found.count < count, rounds < 2_000 {
            rounds += 1
            await Task.yield()
            found = ProcessInspector.processes(ofRun: runID)
        }
        return found
    }

    /// Waits (bounded) until no live process carries `runID`; returns whether that happened.
    private func waitUntilGone(_ runID: String) async -> Bool {
        // A killed process leaves when the kernel has torn it down, later on a loaded machine.
        let deadline = ContinuousClock.now + .seconds(60)
        while !ProcessInspector.processes(ofRun: runID).isEmpty, ContinuousClock.now < deadline {
            await Task.yield()
        }
        return ProcessInspector.processes(ofRun: runID).isEmpty
    }

    @Test func aRunsMarkerFindsEveryProcessOfItEvenOnesThatLeftItsGroup() async throws {
        let runID = UUID().uuidString
        let shell = try Shell("setsid sleep 300 & exec sleep 300", runID: runID)
        let found = await waitForProcesses(ofRun: runID, count: 2)
        #expect(found.count == 2)
        #expect(found.contains(shell.pid))
        #expect(ProcessInspector.processes(ofRun: UUID().uuidString).isEmpty)

        #expect(ProcessInspector.killAll(ofRun: runID) == 2)
        #expect(shell.waitForSignal() == SIGKILL)
        #expect(await waitUntilGone(runID))
    }

    @Test func startUpEndsTheOrphanOfALaunchTheLastServerNeverRecorded() async throws {
        // Given a worker marked to start, whose launch intent was recorded, and the process that
        // launch spawned before the server died (its pid never reached the store)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(
            projectPath: directory.path,
            routing: RoutingPolicy(autoSpawn: false)
        )
        let worker = WorkerID(uncheckedRawValue: "worker_coder_1")
        _ = try await database.requestWorker(
            worker,
            project: ProjectID(uncheckedRawValue: "acme/shop"),
            type: WorkerTypeName(uncheckedRawValue: "coder")
        )
        let runID = UUID().uuidString
        try await database.recordLaunchIntent(worker, runID: runID, task: nil)
        let orphan = try Shell("setsid sleep 300 & exec sleep 300", runID: runID)
        #expect(await waitForProcesses(ofRun: runID, count: 2).count == 2)

        // When the next server starts
        let supervisor = TestSupervisor.make(
            store: database,
            launcher: FakeProcessLauncher([.runUntilSignalled()]),
            logDirectory: directory.appending("logs")
        )
        await supervisor.prepare()

        // Then the orphan and what it started are gone, and the worker still waits to start
        #expect(orphan.waitForSignal() == SIGKILL)
        #expect(await waitUntilGone(runID))
        #expect(try await database.listWorkers(in: nil).first?.worker.status == .spawning)
    }
}
