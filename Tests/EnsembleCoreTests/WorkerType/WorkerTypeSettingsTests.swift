import EnsembleCore
import Foundation
import Testing

struct WorkerTypeSettingsTests {
    @Test func defaultsAreValid() throws {
        try WorkerTypeSettings().validate()
    }

    @Test(arguments: [
        WorkerTypeSettings(maxWorkers: 0),
        WorkerTypeSettings(maxWorkers: 33),
        WorkerTypeSettings(stageTimeoutSeconds: 5),
        WorkerTypeSettings(model: "--dangerously-skip-permissions"),
        WorkerTypeSettings(model: "son net"),
        WorkerTypeSettings(allowedTools: ["Read\nBash"]),
        WorkerTypeSettings(allowedTools: ["-p"]),
        WorkerTypeSettings(disallowedTools: [""]),
    ])
    func rejectsUnsafeOrOutOfRangeSettings(_ settings: WorkerTypeSettings) {
        #expect(throws: EnsembleError.self) { try settings.validate() }
    }

    @Test func acceptsToolPatternsWithArguments() throws {
        try WorkerTypeSettings(model: "claude-sonnet-4-5", allowedTools: ["Bash(git *)", "Read"]).validate()
    }

    @Test func updateClearsOptionalSettingsWithEmptyValues() throws {
        let type = WorkerType(
            projectId: ProjectID(uncheckedRawValue: "p"),
            workerType: WorkerTypeName(uncheckedRawValue: "coder"),
            description: "d",
            systemPrompt: "s",
            settings: WorkerTypeSettings(model: "opus", allowedTools: ["Read"], maxWorkers: 2),
            createdAt: Date(),
            updatedAt: Date()
        )
        let updated = try WorkerTypeUpdate(model: "", allowedTools: [], maxWorkers: 4).applied(to: type)
        #expect(updated.settings.model == nil)
        #expect(updated.settings.allowedTools == nil)
        #expect(updated.settings.maxWorkers == 4)
        #expect(updated.systemPrompt == "s")
        #expect(throws: EnsembleError.self) { try WorkerTypeUpdate(systemPrompt: " ").applied(to: type) }
    }
}
