/// A partial update of a worker type: `nil` fields stay as they are.
///
/// For the optional settings, an empty string (`model`) or an empty list (`allowed_tools`,
/// `disallowed_tools`) clears the field so the server default applies again.
package struct WorkerTypeUpdate: Equatable, Sendable {
    package var description: String?
    package var systemPrompt: String?
    package var model: String?
    package var permissionMode: PermissionMode?
    package var allowedTools: [String]?
    package var disallowedTools: [String]?
    package var maxWorkers: Int?
    package var stageTimeoutSeconds: Int?
    package var sandbox: Bool?
    package var canCreateTickets: Bool?
    package var session: WorkerSession?

    package init(
        description: String? = nil,
        systemPrompt: String? = nil,
        model: String? = nil,
        permissionMode: PermissionMode? = nil,
        allowedTools: [String]? = nil,
        disallowedTools: [String]? = nil,
        maxWorkers: Int? = nil,
        stageTimeoutSeconds: Int? = nil,
        sandbox: Bool? = nil,
        canCreateTickets: Bool? = nil,
        session: WorkerSession? = nil
    ) {
        self.description = description
        self.systemPrompt = systemPrompt
        self.model = model
        self.permissionMode = permissionMode
        self.allowedTools = allowedTools
        self.disallowedTools = disallowedTools
        self.maxWorkers = maxWorkers
        self.stageTimeoutSeconds = stageTimeoutSeconds
        self.sandbox = sandbox
        self.canCreateTickets = canCreateTickets
        self.session = session
    }

    /// Applies the update to `type`, validating the result.
    /// - Throws: `EnsembleError.invalidArgument` when the updated type would be invalid.
    package func applied(to type: WorkerType) throws(EnsembleError) -> WorkerType {
        var updated = type
        if let description { updated.description = description.isEmpty ? nil : description }
        if let systemPrompt {
            guard !systemPrompt.allSatisfy(\.isWhitespace) else {
                throw .invalidArgument("system_prompt must not be empty: describe what this worker type does.")
            }
            updated.systemPrompt = systemPrompt
        }
        if let model { updated.settings.model = model.isEmpty ? nil : model }
        if let permissionMode { updated.settings.permissionMode = permissionMode }
        if let allowedTools { updated.settings.allowedTools = allowedTools.isEmpty ? nil : allowedTools }
        if let disallowedTools { updated.settings.disallowedTools = disallowedTools.isEmpty ? nil : disallowedTools }
        if let maxWorkers { updated.settings.maxWorkers = maxWorkers }
        if let stageTimeoutSeconds { updated.settings.stageTimeoutSeconds = stageTimeoutSeconds }
        if let sandbox { updated.settings.sandbox = sandbox }
        if let canCreateTickets { updated.settings.canCreateTickets = canCreateTickets }
        if let session { updated.settings.session = session }
        try updated.settings.validate()
        return updated
    }
}
