/// The validated input for defining a worker type.
package struct NewWorkerType: Equatable, Sendable {
    package var projectId: ProjectID
    package var workerType: WorkerTypeName
    package var description: String?
    package var systemPrompt: String
    package var settings: WorkerTypeSettings

    /// Creates the input after checking the prompt and settings.
    /// - Throws: `EnsembleError.invalidArgument` for an empty prompt or an invalid setting.
    package init(
        projectId: ProjectID,
        workerType: WorkerTypeName,
        description: String? = nil,
        systemPrompt: String,
        settings: WorkerTypeSettings = WorkerTypeSettings()
    ) throws(EnsembleError) {
        guard !systemPrompt.allSatisfy(\.isWhitespace) else {
            throw .invalidArgument("system_prompt must not be empty: describe what this worker type does.")
        }
        try settings.validate()
        self.projectId = projectId
        self.workerType = workerType
        self.description = description
        self.systemPrompt = systemPrompt
        self.settings = settings
    }
}
