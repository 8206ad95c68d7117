package import EnsembleCore
import Foundation
import GRDB

extension EnsembleDatabase: WorkerTypeStore {
    package func createWorkerType(_ new: NewWorkerType) async throws -> WorkerType {
        try await settle { db in
            _ = try Self.requireProject(db, new.projectId)
            guard try Self.fetchWorkerType(db, new.workerType, in: new.projectId) == nil else {
                throw EnsembleError.workerTypeAlreadyExists(new.projectId, new.workerType)
            }
            let now = try db.transactionDate
            let type = WorkerType(
                projectId: new.projectId,
                workerType: new.workerType,
                description: new.description,
                systemPrompt: new.systemPrompt,
                settings: new.settings,
                createdAt: now,
                updatedAt: now
            )
            try db.execute(
                cached: """
                    INSERT INTO worker_types (project_id, worker_type, description, system_prompt, model,
                        permission_mode, allowed_tools, disallowed_tools, max_workers, stage_timeout_seconds,
                        sandbox, can_create_tickets, session, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [type.projectId.rawValue, type.workerType.rawValue, type.description, type.systemPrompt]
                    + Self.settingsArguments(type.settings) + [now, now]
            )
            return try Self.requireWorkerType(db, new.workerType, in: new.projectId)
        }
    }

    package func listWorkerTypes(in project: ProjectID?) async throws -> [WorkerType] {
        try await read { db in
            if let project {
                _ = try Self.requireProject(db, project)
                return try Row.fetchAll(
                    db,
                    cached: "SELECT * FROM worker_types WHERE project_id = ? ORDER BY worker_type",
                    arguments: [project.rawValue],
                    as: WorkerType.init(row:)
                )
            }
            return try Row.fetchAll(
                db,
                cached: "SELECT * FROM worker_types ORDER BY project_id, worker_type",
                as: WorkerType.init(row:)
            )
        }
    }

    package func workerType(_ name: WorkerTypeName, in project: ProjectID) async throws -> WorkerType {
        try await read { db in
            _ = try Self.requireProject(db, project)
            return try Self.requireWorkerType(db, name, in: project)
        }
    }

    package func updateWorkerType(_ name: WorkerTypeName, in project: ProjectID, with update: WorkerTypeUpdate)
        async throws -> WorkerType
    {
        try await settle { db in
            _ = try Self.requireProject(db, project)
            let updated = try update.applied(to: try Self.requireWorkerType(db, name, in: project))
            try db.execute(
                cached: """
                    UPDATE worker_types SET description = ?, system_prompt = ?, model = ?, permission_mode = ?,
                        allowed_tools = ?, disallowed_tools = ?, max_workers = ?, stage_timeout_seconds = ?,
                        sandbox = ?, can_create_tickets = ?, session = ?, updated_at = ?
                    WHERE project_id = ? AND worker_type = ?
                    """,
                arguments: [updated.description, updated.systemPrompt] + Self.settingsArguments(updated.settings)
                    + [try db.transactionDate, project.rawValue, name.rawValue]
            )
            return try Self.requireWorkerType(db, name, in: project)
        }
    }

    package func deleteWorkerType(_ name: WorkerTypeName, in project: ProjectID) async throws {
        try await write { db in
            _ = try Self.requireProject(db, project)
            _ = try Self.requireWorkerType(db, name, in: project)
            let planningTickets = try String.fetchAll(
                db,
                cached: """
                    SELECT ticket_id FROM tickets
                    WHERE project_id = ? AND state != ?
                      AND EXISTS (SELECT 1 FROM json_each(tickets.execution_plan) WHERE json_each.value = ?)
                    ORDER BY ticket_id
                    """,
                arguments: [project.rawValue, TicketState.closed.rawValue, name.rawValue]
            )
            guard planningTickets.isEmpty else {
                throw EnsembleError.workerTypeInUse(
                    project,
                    name,
                    tickets: planningTickets.map(TicketID.init(uncheckedRawValue:))
                )
            }
            let running = try Self.runningWorkers(db, project: project, workerType: name)
            guard running.isEmpty else {
                throw EnsembleError.projectHasActiveWorkers(project, workers: running)
            }
            try db.execute(
                cached: "DELETE FROM worker_types WHERE project_id = ? AND worker_type = ?",
                arguments: [project.rawValue, name.rawValue]
            )
        }
    }

    // MARK: - Shared queries

    static func fetchWorkerType(_ db: Database, _ name: WorkerTypeName, in project: ProjectID) throws -> WorkerType? {
        try Row.fetchOne(
            db,
            cached: "SELECT * FROM worker_types WHERE project_id = ? AND worker_type = ?",
            arguments: [project.rawValue, name.rawValue],
            as: WorkerType.init(row:)
        )
    }

    static func requireWorkerType(_ db: Database, _ name: WorkerTypeName, in project: ProjectID) throws -> WorkerType {
        guard let type = try fetchWorkerType(db, name, in: project) else {
            throw EnsembleError.workerTypeNotFound(project, name)
        }
        return type
    }

    private static func settingsArguments(_ settings: WorkerTypeSettings) -> StatementArguments {
        [
            settings.model,
            settings.permissionMode?.rawValue,
            settings.allowedTools.map(jsonText),
            settings.disallowedTools.map(jsonText),
            settings.maxWorkers,
            settings.stageTimeoutSeconds,
            settings.sandbox,
            settings.canCreateTickets,
            settings.session.rawValue,
        ]
    }
}
