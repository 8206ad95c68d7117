/// The workspace fields a `create_project` or `update_project` call gives: `nil` fields stay as
/// they are (or take their default); an empty string clears an optional command.
package struct WorkspaceUpdate: Equatable, Sendable {
    package var isolation: ProjectIsolation?
    package var baseBranch: String?
    package var mergeCheck: String?
    package var mergeCheckTimeoutSeconds: Int?
    package var worktreeInclude: [String]?
    package var worktreeSetup: String?
    package var worktreeSetupTimeoutSeconds: Int?

    package init(
        isolation: ProjectIsolation? = nil,
        baseBranch: String? = nil,
        mergeCheck: String? = nil,
        mergeCheckTimeoutSeconds: Int? = nil,
        worktreeInclude: [String]? = nil,
        worktreeSetup: String? = nil,
        worktreeSetupTimeoutSeconds: Int? = nil
    ) {
        self.isolation = isolation
        self.baseBranch = baseBranch
        self.mergeCheck = mergeCheck
        self.mergeCheckTimeoutSeconds = mergeCheckTimeoutSeconds
        self.worktreeInclude = worktreeInclude
        self.worktreeSetup = worktreeSetup
        self.worktreeSetupTimeoutSeconds = worktreeSetupTimeoutSeconds
    }

    /// Whether the update changes nothing.
    package var isEmpty: Bool { self == WorkspaceUpdate() }

    /// The settings of a new project in the directory `facts` describes: a worktree per ticket on
    /// the checked-out branch where git can, unless the call says otherwise.
    /// - Throws: `EnsembleError.invalidArgument` when the result cannot work there.
    package func settingsForNewProject(_ facts: RepositoryFacts) throws(EnsembleError) -> WorkspaceSettings {
        var settings = WorkspaceSettings(isolation: facts.defaultIsolation, baseBranch: facts.currentBranch)
        if isolation == .worktree, baseBranch == nil, settings.baseBranch == nil {
            settings.baseBranch = facts.currentBranch
        }
        return try applied(to: settings, facts)
    }

    /// `settings` with this update applied, checked against `facts`.
    /// - Throws: `EnsembleError.invalidArgument` when the result cannot work there.
    package func applied(to settings: WorkspaceSettings, _ facts: RepositoryFacts) throws(EnsembleError)
        -> WorkspaceSettings
    {
        var updated = settings
        if let isolation { updated.isolation = isolation }
        if let baseBranch { updated.baseBranch = baseBranch.isEmpty ? nil : baseBranch }
        if updated.isolation == .worktree, updated.baseBranch == nil { updated.baseBranch = facts.currentBranch }
        if let mergeCheck { updated.mergeCheck = mergeCheck.isEmpty ? nil : mergeCheck }
        if let mergeCheckTimeoutSeconds { updated.mergeCheckTimeoutSeconds = mergeCheckTimeoutSeconds }
        if let worktreeInclude { updated.worktreeInclude = worktreeInclude }
        if let worktreeSetup { updated.worktreeSetup = worktreeSetup.isEmpty ? nil : worktreeSetup }
        if let worktreeSetupTimeoutSeconds { updated.worktreeSetupTimeoutSeconds = worktreeSetupTimeoutSeconds }
        try updated.validate(against: facts)
        return updated
    }
}
