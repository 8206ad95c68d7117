import EnsembleCore
import Testing

struct WorkspaceSettingsTests {
    private let repository = RepositoryFacts(
        path: "/src/shop",
        isWorkTree: true,
        hasCommit: true,
        currentBranch: "main",
        branches: ["main", "release"]
    )

    private var subdirectory: RepositoryFacts {
        var facts = repository
        facts.path = "/src/shop/app"
        facts.topLevel = "/src/shop"
        return facts
    }

    @Test func aNewProjectInAWorkTreeWithACommitGetsWorktreesFromItsCheckedOutBranch() throws {
        let settings = try WorkspaceUpdate().settingsForNewProject(repository)
        #expect(settings == WorkspaceSettings(isolation: .worktree, baseBranch: "main"))
        let plain = try WorkspaceUpdate().settingsForNewProject(RepositoryFacts(path: "/tmp/notes"))
        #expect(plain.isolation == .projectDirectory && plain.baseBranch == nil)
        #expect(try WorkspaceUpdate().settingsForNewProject(subdirectory).isolation == .projectDirectory)
        var empty = repository
        empty.hasCommit = false
        #expect(try WorkspaceUpdate().settingsForNewProject(empty).isolation == .projectDirectory)
    }

    @Test func theCallChoosesIsolationBaseBranchAndCommands() throws {
        let chosen = try WorkspaceUpdate(
            isolation: .worktree,
            baseBranch: "release",
            mergeCheck: "swift test",
            worktreeInclude: [".env"],
            worktreeSetup: "npm ci"
        ).settingsForNewProject(repository)
        #expect(chosen.baseBranch == "release" && chosen.mergeCheck == "swift test" && chosen.worktreeSetup == "npm ci")
        let cleared = try WorkspaceUpdate(mergeCheck: "", worktreeSetup: "").applied(to: chosen, repository)
        #expect(cleared.mergeCheck == nil && cleared.worktreeSetup == nil && cleared.baseBranch == "release")
        #expect(
            try WorkspaceUpdate(isolation: .projectDirectory).applied(to: chosen, repository).isolation
                == .projectDirectory
        )
    }

    @Test func settingsThatCannotWorkThereAreRefusedWithASentence() {
        let cases: [(WorkspaceUpdate, RepositoryFacts, String)] = [
            (WorkspaceUpdate(isolation: .worktree), RepositoryFacts(path: "/tmp/notes"), "at least one commit"),
            (WorkspaceUpdate(baseBranch: "nope"), repository, "base_branch 'nope' is not a branch"),
            (WorkspaceUpdate(mergeCheckTimeoutSeconds: 0), repository, "merge_check_timeout_seconds must be"),
            (WorkspaceUpdate(worktreeInclude: ["../secrets"]), repository, "must be a relative pattern"),
            (WorkspaceUpdate(worktreeInclude: ["/etc/passwd"]), repository, "must be a relative pattern"),
            (WorkspaceUpdate(isolation: .worktree), subdirectory, "needs the repository's top level"),
        ]
        for (update, facts, sentence) in cases {
            #expect {
                try update.settingsForNewProject(facts)
            } throws: { error in
                "\(error)".contains(sentence) || ((error as? EnsembleError)?.description.contains(sentence) ?? false)
            }
        }
    }
}
