package import EnsembleCore
import Foundation
import GRDB

extension EnsembleDatabase: ProjectStore {
    package func createProject(_ new: NewProject) async throws -> Project {
        try await write { db in
            guard try Self.fetchProject(db, new.repositoryName) == nil else {
                throw EnsembleError.projectAlreadyExists(new.repositoryName)
            }
            let now = try db.transactionDate
            try db.execute(
                cached: """
                    INSERT INTO projects (repository_name, path, description, rules, patterns, isolation, base_branch,
                        merge_check, merge_check_timeout_seconds, worktree_include, worktree_setup,
                        worktree_setup_timeout_seconds, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [new.repositoryName.rawValue, new.path, new.description, new.rules, new.patterns]
                    + Self.workspaceArguments(new.workspace) + [now, now]
            )
            return try Self.requireProject(db, new.repositoryName)
        }
    }

    package func listProjects() async throws -> [Project] {
        try await read { db in
            try Row.fetchAll(db, cached: "SELECT * FROM projects ORDER BY repository_name", as: Project.init(row:))
        }
    }

    package func project(_ id: ProjectID) async throws -> Project {
        try await read { db in try Self.requireProject(db, id) }
    }

    package func updateProject(_ id: ProjectID, with update: ProjectUpdate) async throws -> Project {
        try await write { db in
            var project = try Self.requireProject(db, id)
            guard !update.isEmpty else { return project }
            if let path = update.path { project.path = path }
            if let description = update.description { project.description = description }
            if let rules = update.rules { project.rules = rules }
            if let patterns = update.patterns { project.patterns = patterns }
            if let workspace = update.resolvedWorkspace { project.workspace = workspace }
            try db.execute(
                cached: """
                    UPDATE projects SET path = ?, description = ?, rules = ?, patterns = ?, isolation = ?,
                        base_branch = ?, merge_check = ?, merge_check_timeout_seconds = ?, worktree_include = ?,
                        worktree_setup = ?, worktree_setup_timeout_seconds = ?, updated_at = ?
                    WHERE repository_name = ?
                    """,
                arguments: [project.path, project.description, project.rules, project.patterns]
                    + Self.workspaceArguments(project.workspace) + [try db.transactionDate, id.rawValue]
            )
            return try Self.requireProject(db, id)
        }
    }

    private static func workspaceArguments(_ workspace: WorkspaceSettings) -> StatementArguments {
        [
            workspace.isolation.rawValue, workspace.baseBranch, workspace.mergeCheck,
            workspace.mergeCheckTimeoutSeconds, jsonText(workspace.worktreeInclude), workspace.worktreeSetup,
            workspace.worktreeSetupTimeoutSeconds,
        ]
    }

    package func deleteProject(_ id: ProjectID) async throws -> ProjectDeletion {
        try await write { db in
            _ = try Self.requireProject(db, id)
            let running = try Self.runningWorkers(db, project: id, workerType: nil)
            guard running.isEmpty else {
                throw EnsembleError.projectHasActiveWorkers(id, workers: running)
            }
            let deletion = ProjectDeletion(
                repositoryName: id,
                deletedWorkerTypes: try Self.count(db, table: "worker_types", project: id),
                deletedTickets: try Self.count(db, table: "tickets", project: id),
                deletedWorkers: try Self.count(db, table: "workers", project: id)
            )
            // Foreign keys cascade to worker types, tickets, comments, workers and tasks.
            try db.execute(cached: "DELETE FROM projects WHERE repository_name = ?", arguments: [id.rawValue])
            return deletion
        }
    }

    // MARK: - Shared queries

    static func fetchProject(_ db: Database, _ id: ProjectID) throws -> Project? {
        try Row.fetchOne(
            db,
            cached: "SELECT * FROM projects WHERE repository_name = ?",
            arguments: [id.rawValue],
            as: Project.init(row:)
        )
    }

    static func requireProject(_ db: Database, _ id: ProjectID) throws -> Project {
        guard let project = try fetchProject(db, id) else {
            throw EnsembleError.projectNotFound(id)
        }
        return project
    }

    /// The workers of a project (and, if given, of one type) whose process may be running.
    static func runningWorkers(_ db: Database, project: ProjectID, workerType: WorkerTypeName?) throws -> [WorkerID] {
        let statuses = WorkerStatus.running.map(\.rawValue)
        var sql =
            "SELECT worker_id FROM workers WHERE project_id = ? AND status IN (\(databaseQuestionMarks(count: statuses.count)))"
        var arguments: StatementArguments = [project.rawValue]
        arguments += StatementArguments(statuses)
        if let workerType {
            sql += " AND worker_type = ?"
            arguments += [workerType.rawValue]
        }
        return try String.fetchAll(db, cached: sql + " ORDER BY worker_id", arguments: arguments)
            .map(WorkerID.init(uncheckedRawValue:))
    }

    private static func count(_ db: Database, table: String, project: ProjectID) throws -> Int {
        try Int.fetchOne(
            db,
            cached: "SELECT COUNT(*) FROM \(table) WHERE project_id = ?",
            arguments: [project.rawValue]
        )
            ?? 0
    }
}
