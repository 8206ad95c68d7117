import EnsembleCore
import Testing

struct WorkerNamingTests {
    private let coder = WorkerTypeName(uncheckedRawValue: "coder")

    @Test func pairsWorkersWithQueues() {
        let worker = WorkerNaming.workerID(type: coder, number: 2)
        #expect(worker.rawValue == "worker_coder_2")
        #expect(WorkerNaming.queueName(for: worker).rawValue == "queue_coder_2")
        #expect(WorkerNaming.workerID(for: QueueName(uncheckedRawValue: "queue_coder_2")) == worker)
    }

    @Test(arguments: ["worker_coder_1", "worker_coder_42"])
    func acceptsWorkersNamedAfterTheirType(_ raw: String) throws {
        try WorkerNaming.validate(WorkerID(uncheckedRawValue: raw), type: coder)
    }

    @Test(arguments: [
        "worker_coder_", "worker_coder_x", "worker_reviewer_1", "coder_1", "worker_coder_1_2", "worker_coder_-1",
        "worker_coder_0", "worker_coder_07", "worker_coder_1000000",
    ])
    func rejectsOtherNames(_ raw: String) {
        #expect(throws: EnsembleError.self) { try WorkerNaming.validate(WorkerID(uncheckedRawValue: raw), type: coder) }
    }

    @Test func numbersNewWorkersPastTheHighestThenFillsGaps() {
        let taken = [1, 2, 5].map { WorkerNaming.workerID(type: coder, number: $0) }
        #expect(WorkerNaming.nextWorkerID(type: coder, taken: taken)?.rawValue == "worker_coder_6")
        let full = [2, WorkerNaming.maximumNumber].map { WorkerNaming.workerID(type: coder, number: $0) }
        #expect(WorkerNaming.nextWorkerID(type: coder, taken: full)?.rawValue == "worker_coder_1")
        let other = [WorkerID(uncheckedRawValue: "worker_coder_x_9"), WorkerID(uncheckedRawValue: "worker_tester_3")]
        #expect(WorkerNaming.nextWorkerID(type: coder, taken: other)?.rawValue == "worker_coder_1")
    }
}
