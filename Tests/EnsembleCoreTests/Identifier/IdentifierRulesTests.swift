import EnsembleCore
import Testing

struct IdentifierRulesTests {
    @Test(arguments: ["planner", "a", "Worker_1", "v1.2-beta", String(repeating: "x", count: 128)])
    func acceptsPlainIdentifiers(_ raw: String) {
        #expect(IdentifierRules.isPlainIdentifier(raw))
    }

    @Test(arguments: [
        "", "-rf", "_x", ".", "..", "a/b", "../etc", "a b", "naïve", "a\nb", String(repeating: "x", count: 129),
    ])
    func rejectsUnsafeIdentifiers(_ raw: String) {
        #expect(!IdentifierRules.isPlainIdentifier(raw))
    }

    @Test(arguments: ["acme/shop", "shop", "o/r.git"])
    func acceptsRepositoryNamesWithOneSlash(_ raw: String) {
        #expect(ProjectID.isValid(raw))
    }

    @Test(arguments: ["a/b/c", "/abs", "a/", "a/../b", "../a", "-a/b"])
    func rejectsOtherRepositoryNames(_ raw: String) {
        #expect(!ProjectID.isValid(raw))
    }

    @Test func validatingInitializerExplainsTheRule() {
        #expect(throws: EnsembleError.invalidIdentifier(kind: "worker type", value: "../x", maximumLength: 114)) {
            try WorkerTypeName(validating: "../x")
        }
        let message = EnsembleError.invalidIdentifier(kind: "worker type", value: "../x").description
        #expect(message.contains("'../x' is not a valid worker type"))
    }

    @Test func workerTypeNamesLeaveRoomForTheLargestWorkerID() throws {
        let longest = String(repeating: "t", count: WorkerTypeName.maximumLength)
        let type = try WorkerTypeName(validating: longest)
        #expect(!WorkerTypeName.isValid(longest + "t"))
        let worker = WorkerNaming.workerID(type: type, number: WorkerNaming.maximumNumber)
        #expect(WorkerID.isValid(worker.rawValue))
        #expect(QueueName.isValid(WorkerNaming.queueName(for: worker).rawValue))
    }
}
