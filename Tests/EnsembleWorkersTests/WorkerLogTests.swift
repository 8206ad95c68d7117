import EnsembleTestSupport
import Foundation
import Testing

@testable import EnsembleWorkers

struct WorkerLogTests {
    private func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
    }

    @Test func rotatesAtTheCapSoAWorkerNeverHoldsMoreThanTwiceItPerStream() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let line = String(repeating: "x", count: 99)
        let log = WorkerLog(directory: directory.path, worker: "worker_coder_1", maximumBytes: 1_000)
        for _ in 0..<95 { log.writeOutput(line) }
        log.close()

        let current = directory.appending("worker_coder_1.jsonl")
        #expect(size(current) == 500)
        #expect(size(current + ".1") == 1_000)
        let mode = try FileManager.default.attributesOfItem(atPath: current)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // A later run starts a fresh file when the last one is full.
        let full = WorkerLog(directory: directory.path, worker: "worker_coder_2", maximumBytes: 100)
        full.writeOutput(line)
        full.close()
        let again = WorkerLog(directory: directory.path, worker: "worker_coder_2", maximumBytes: 100)
        again.writeOutput("y")
        again.close()
        #expect(size(directory.appending("worker_coder_2.jsonl")) == 2)
        #expect(size(directory.appending("worker_coder_2.jsonl.1")) == 100)
    }

    @Test func prunesOnlyLogFilesNotWrittenSinceTheCutoff() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let old = WorkerLog(directory: directory.path, worker: "worker_old_1")
        old.writeError("old")
        old.close()
        let fresh = WorkerLog(directory: directory.path, worker: "worker_new_1")
        fresh.writeOutput("new")
        fresh.close()
        let longAgo = Date(timeIntervalSinceNow: -40 * 86_400)
        for name in ["worker_old_1.jsonl", "worker_old_1.stderr.log"] {
            try FileManager.default.setAttributes([.modificationDate: longAgo], ofItemAtPath: directory.appending(name))
        }
        FileManager.default.createFile(atPath: directory.appending("notes.txt"), contents: Data())
        try FileManager.default.setAttributes(
            [.modificationDate: longAgo],
            ofItemAtPath: directory.appending("notes.txt")
        )

        let deleted = WorkerLog.prune(directory: directory.path, before: Date(timeIntervalSinceNow: -30 * 86_400))

        #expect(deleted == 2)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(left == ["notes.txt", "worker_new_1.jsonl", "worker_new_1.stderr.log"])
    }
}
