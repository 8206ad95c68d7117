import EnsembleCore
import GRDB

extension EnsembleDatabase {
    /// The schema's history.
    ///
    /// A migration is never edited once it has run anywhere: add a new one.
    ///
    /// Table and column names follow the product specification (plural tables, snake_case
    /// columns) so an operator reading the file with `sqlite3` finds the names the tools use.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1_initial_schema") { db in
            try db.execute(sql: initialSchema)
        }
        migrator.registerMigration("v2_worker_status_details") { db in
            try db.execute(
                sql: """
                    ALTER TABLE workers ADD COLUMN status_reason TEXT;
                    ALTER TABLE workers ADD COLUMN auto_spawn_blocked INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE workers ADD COLUMN turns INTEGER NOT NULL DEFAULT 0;
                    """
            )
        }
        migrator.registerMigration("v3_rules_in_core") { db in
            try db.execute(sql: rulesInCoreSchema)
            try numberGeneratedTickets(db)
        }
        migrator.registerMigration("v4_pinned_and_borrowed_claims") { db in
            try db.execute(
                sql: """
                    ALTER TABLE tasks ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1));
                    ALTER TABLE tasks ADD COLUMN claimed_from TEXT;
                    """
            )
        }
        migrator.registerMigration("v5_worker_sandbox") { db in
            try db.execute(
                sql: "ALTER TABLE worker_types ADD COLUMN sandbox INTEGER NOT NULL DEFAULT 0 CHECK (sandbox IN (0, 1))"
            )
        }
        migrator.registerMigration("v6_list_order_indexes") { db in
            try db.execute(sql: listOrderIndexes)
        }
        migrator.registerMigration("v7_dispatch_indexes") { db in
            try db.execute(sql: dispatchIndexes)
        }
        migrator.registerMigration("v8_backlog_index") { db in
            try db.execute(sql: backlogIndex)
        }
        migrator.registerMigration("v9_ticket_dependencies") { db in
            try db.execute(sql: dependencySchema)
        }
        migrator.registerMigration("v10_runs_and_worktrees") { db in
            try db.execute(sql: runsAndWorktreesSchema)
        }
        return migrator
    }

    /// Indexes in the order lists are read (oldest first), one per filter, so a page seeks to
    /// its cursor and reads only its own rows, never sorting or scanning closed tickets.
    private static let listOrderIndexes = """
        CREATE INDEX tickets_in_order ON tickets(created_at, ticket_id);
        CREATE INDEX tickets_by_state_in_order ON tickets(state, created_at, ticket_id);
        CREATE INDEX tickets_by_project_in_order ON tickets(project_id, created_at, ticket_id);
        DROP INDEX tickets_by_project_state;
        CREATE INDEX tickets_by_project_state ON tickets(project_id, state, created_at, ticket_id);
        """

    /// Tickets that wait for others: the `blocked` state and `parent_ticket_id` (SQLite cannot
    /// change a CHECK, so `tickets` is rebuilt, with the foreign keys off as GRDB runs migrations),
    /// the dependency edges, and which worker types may declare tickets.
    private static let dependencySchema = """
        CREATE TABLE tickets_new (
            ticket_id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES projects(repository_name) ON DELETE CASCADE,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            execution_plan TEXT NOT NULL CHECK (json_valid(execution_plan) AND json_array_length(execution_plan) >= 1),
            current_stage INTEGER NOT NULL DEFAULT 0 CHECK (current_stage >= 0),
            last_completed_stage INTEGER,
            state TEXT NOT NULL DEFAULT 'open'
                CHECK (state IN ('open', 'in_progress', 'blocked', 'on_hold', 'closed')),
            resolution TEXT CHECK (resolution IN ('completed', 'stopped')),
            close_reason TEXT,
            priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL,
            closed_at DATETIME,
            rework_rounds INTEGER NOT NULL DEFAULT 0 CHECK (rework_rounds >= 0),
            max_rounds INTEGER NOT NULL DEFAULT 5 CHECK (max_rounds >= 0),
            parent_ticket_id TEXT REFERENCES tickets(ticket_id) ON DELETE SET NULL
        );
        INSERT INTO tickets_new (ticket_id, project_id, title, description, execution_plan, current_stage,
            last_completed_stage, state, resolution, close_reason, priority, created_at, updated_at, closed_at,
            rework_rounds, max_rounds)
        SELECT ticket_id, project_id, title, description, execution_plan, current_stage, last_completed_stage,
            state, resolution, close_reason, priority, created_at, updated_at, closed_at, rework_rounds, max_rounds
        FROM tickets;
        DROP TABLE tickets;
        ALTER TABLE tickets_new RENAME TO tickets;
        CREATE INDEX tickets_in_order ON tickets(created_at, ticket_id);
        CREATE INDEX tickets_by_state_in_order ON tickets(state, created_at, ticket_id);
        CREATE INDEX tickets_by_project_in_order ON tickets(project_id, created_at, ticket_id);
        CREATE INDEX tickets_by_project_state ON tickets(project_id, state, created_at, ticket_id);
        CREATE INDEX tickets_by_parent ON tickets(parent_ticket_id) WHERE parent_ticket_id IS NOT NULL;

        CREATE TABLE ticket_dependencies (
            ticket_id TEXT NOT NULL REFERENCES tickets(ticket_id) ON DELETE CASCADE,
            depends_on TEXT NOT NULL REFERENCES tickets(ticket_id) ON DELETE CASCADE,
            created_at DATETIME NOT NULL,
            PRIMARY KEY (ticket_id, depends_on),
            CHECK (ticket_id <> depends_on)
        ) WITHOUT ROWID;
        CREATE INDEX ticket_dependents ON ticket_dependencies(depends_on, ticket_id);

        ALTER TABLE worker_types ADD COLUMN can_create_tickets INTEGER NOT NULL DEFAULT 0
            CHECK (can_create_tickets IN (0, 1));
        """

    /// A session per task and a worktree per ticket.
    ///
    /// Every `claude -p` run (`runs`), the usage summed per ticket, the task a per-task run was started for, the `merging` state (tickets
    /// rebuilt again for its CHECK), the branch tip each stage left (`tasks.result_commit`), the
    /// worktrees the server made, and the projects' isolation and merge settings. Projects that
    /// existed before keep working in their own checkout (`isolation = 'none'`).
    private static let runsAndWorktreesSchema = """
        CREATE TABLE tickets_new (
            ticket_id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES projects(repository_name) ON DELETE CASCADE,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            execution_plan TEXT NOT NULL CHECK (json_valid(execution_plan) AND json_array_length(execution_plan) >= 1),
            current_stage INTEGER NOT NULL DEFAULT 0 CHECK (current_stage >= 0),
            last_completed_stage INTEGER,
            state TEXT NOT NULL DEFAULT 'open'
                CHECK (state IN ('open', 'in_progress', 'blocked', 'on_hold', 'merging', 'closed')),
            resolution TEXT CHECK (resolution IN ('completed', 'stopped')),
            close_reason TEXT,
            priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL,
            closed_at DATETIME,
            rework_rounds INTEGER NOT NULL DEFAULT 0 CHECK (rework_rounds >= 0),
            max_rounds INTEGER NOT NULL DEFAULT 5 CHECK (max_rounds >= 0),
            parent_ticket_id TEXT REFERENCES tickets(ticket_id) ON DELETE SET NULL,
            cost_usd REAL NOT NULL DEFAULT 0,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            turns INTEGER NOT NULL DEFAULT 0,
            run_seconds REAL NOT NULL DEFAULT 0,
            run_count INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO tickets_new (ticket_id, project_id, title, description, execution_plan, current_stage,
            last_completed_stage, state, resolution, close_reason, priority, created_at, updated_at, closed_at,
            rework_rounds, max_rounds, parent_ticket_id)
        SELECT ticket_id, project_id, title, description, execution_plan, current_stage, last_completed_stage,
            state, resolution, close_reason, priority, created_at, updated_at, closed_at, rework_rounds, max_rounds,
            parent_ticket_id
        FROM tickets;
        DROP TABLE tickets;
        ALTER TABLE tickets_new RENAME TO tickets;
        CREATE INDEX tickets_in_order ON tickets(created_at, ticket_id);
        CREATE INDEX tickets_by_state_in_order ON tickets(state, created_at, ticket_id);
        CREATE INDEX tickets_by_project_in_order ON tickets(project_id, created_at, ticket_id);
        CREATE INDEX tickets_by_project_state ON tickets(project_id, state, created_at, ticket_id);
        CREATE INDEX tickets_by_parent ON tickets(parent_ticket_id) WHERE parent_ticket_id IS NOT NULL;

        CREATE TABLE runs (
            run_id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES projects(repository_name) ON DELETE CASCADE,
            worker_id TEXT NOT NULL,
            worker_type TEXT NOT NULL,
            task_id INTEGER,
            ticket_id TEXT REFERENCES tickets(ticket_id) ON DELETE CASCADE,
            stage INTEGER,
            started_at DATETIME NOT NULL,
            ended_at DATETIME,
            exit_code INTEGER,
            exit_signal INTEGER,
            result_subtype TEXT,
            is_error INTEGER CHECK (is_error IN (0, 1)),
            cost_usd REAL NOT NULL DEFAULT 0,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            turns INTEGER NOT NULL DEFAULT 0,
            permission_denials INTEGER NOT NULL DEFAULT 0,
            log_path TEXT
        );
        CREATE INDEX runs_by_ticket ON runs(ticket_id, stage, started_at) WHERE ticket_id IS NOT NULL;
        CREATE INDEX runs_by_worker ON runs(worker_id, started_at);

        ALTER TABLE worker_types ADD COLUMN session TEXT NOT NULL DEFAULT 'per_task'
            CHECK (session IN ('per_task', 'per_queue'));
        ALTER TABLE workers ADD COLUMN run_task_id INTEGER;
        ALTER TABLE tasks ADD COLUMN result_commit TEXT;

        ALTER TABLE projects ADD COLUMN isolation TEXT NOT NULL DEFAULT 'none' CHECK (isolation IN ('worktree', 'none'));
        ALTER TABLE projects ADD COLUMN base_branch TEXT;
        ALTER TABLE projects ADD COLUMN merge_check TEXT;
        ALTER TABLE projects ADD COLUMN merge_check_timeout_seconds INTEGER NOT NULL DEFAULT 600
            CHECK (merge_check_timeout_seconds >= 1);
        ALTER TABLE projects ADD COLUMN worktree_include TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(worktree_include));
        ALTER TABLE projects ADD COLUMN worktree_setup TEXT;
        ALTER TABLE projects ADD COLUMN worktree_setup_timeout_seconds INTEGER NOT NULL DEFAULT 600
            CHECK (worktree_setup_timeout_seconds >= 1);

        CREATE TABLE worktrees (
            ticket_id TEXT PRIMARY KEY NOT NULL REFERENCES tickets(ticket_id) ON DELETE CASCADE,
            project_id TEXT NOT NULL REFERENCES projects(repository_name) ON DELETE CASCADE,
            branch TEXT NOT NULL,
            path TEXT NOT NULL,
            base_commit TEXT NOT NULL,
            merge_note TEXT,
            merged_commit TEXT,
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL
        );
        CREATE INDEX worktrees_by_project ON worktrees(project_id);
        """

    /// Partial indexes of the tasks still waiting or claimed, so the dispatch pass of every write
    /// reads those and never the history of done tasks.
    private static let dispatchIndexes = """
        CREATE INDEX tasks_queued ON tasks(queue_name, project_id, worker_type, pinned) WHERE state = 'queued';
        CREATE INDEX tasks_pending_by_queue ON tasks(queue_name) WHERE state IN ('queued', 'claimed');
        """

    /// The backlog with what tells a task that waits for its type's reason from one to decide
    /// (`Dispatch.Candidates.settledWaits`), so a pass skips a long backlog reading no table row
    /// (`state` and `queue_name` too, which the partial index implies but SQLite still reads).
    private static let backlogIndex = """
        CREATE INDEX tasks_backlog ON tasks(project_id, worker_type, waiting_reason, pinned, state, queue_name)
            WHERE state = 'queued' AND queue_name IS NULL;
        """

    /// Columns the core rules need: failed attempts apart from claims, why a task waits, rework
    /// rounds per ticket, quick failures and accepted completions per worker, and a per-project
    /// counter for generated ticket ids.
    private static let rulesInCoreSchema = """
        ALTER TABLE tasks ADD COLUMN failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0);
        ALTER TABLE tasks ADD COLUMN waiting_reason TEXT;
        UPDATE tasks SET failures = MAX(0, attempt - (state = 'claimed')) WHERE state IN ('queued', 'claimed');
        ALTER TABLE tickets ADD COLUMN rework_rounds INTEGER NOT NULL DEFAULT 0 CHECK (rework_rounds >= 0);
        ALTER TABLE tickets ADD COLUMN max_rounds INTEGER NOT NULL DEFAULT 5 CHECK (max_rounds >= 0);
        ALTER TABLE workers ADD COLUMN quick_failures INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE workers ADD COLUMN run_completions INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE projects ADD COLUMN next_ticket_number INTEGER NOT NULL DEFAULT 1 CHECK (next_ticket_number >= 1);
        CREATE INDEX tasks_by_claimant ON tasks(claimed_by, state);
        """

    /// Starts each project's counter past the generated-looking ids it already has.
    private static func numberGeneratedTickets(_ db: Database) throws {
        for project in try String.fetchAll(db, sql: "SELECT repository_name FROM projects") {
            let prefix = TicketIDPrefix.prefix(for: ProjectID(uncheckedRawValue: project)) + "-"
            let numbers = try String.fetchAll(
                db,
                sql: "SELECT ticket_id FROM tickets WHERE project_id = ? AND substr(ticket_id, 1, ?) = ?",
                arguments: [project, prefix.count, prefix]
            ).compactMap { TicketIDPrefix.number(in: $0.dropFirst(prefix.count)) }
            try db.execute(
                sql: "UPDATE projects SET next_ticket_number = ? WHERE repository_name = ?",
                arguments: [(numbers.max() ?? 0) + 1, project]
            )
        }
    }

    private static let initialSchema = """
        CREATE TABLE projects (
            repository_name TEXT PRIMARY KEY NOT NULL,
            path TEXT NOT NULL,
            description TEXT,
            rules TEXT,
            patterns TEXT,
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL
        );

        CREATE TABLE worker_types (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            project_id TEXT NOT NULL REFERENCES projects(repository_name) ON DELETE CASCADE,
            worker_type TEXT NOT NULL,
            description TEXT,
            system_prompt TEXT NOT NULL,
            model TEXT,
            permission_mode TEXT,
            allowed_tools TEXT,
            disallowed_tools TEXT,
            max_workers INTEGER NOT NULL DEFAULT 1 CHECK (max_workers >= 1),
            stage_timeout_seconds INTEGER NOT NULL DEFAULT 1800 CHECK (stage_timeout_seconds >= 1),
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL,
            UNIQUE (project_id, worker_type)
        );

        CREATE TABLE tickets (
            ticket_id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES projects(repository_name) ON DELETE CASCADE,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            execution_plan TEXT NOT NULL CHECK (json_valid(execution_plan) AND json_array_length(execution_plan) >= 1),
            current_stage INTEGER NOT NULL DEFAULT 0 CHECK (current_stage >= 0),
            last_completed_stage INTEGER,
            state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'in_progress', 'on_hold', 'closed')),
            resolution TEXT CHECK (resolution IN ('completed', 'stopped')),
            close_reason TEXT,
            priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL,
            closed_at DATETIME
        );
        CREATE INDEX tickets_by_project_state ON tickets(project_id, state);

        CREATE TABLE comments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            ticket_id TEXT NOT NULL REFERENCES tickets(ticket_id) ON DELETE CASCADE,
            worker_type TEXT NOT NULL,
            worker_id TEXT NOT NULL,
            stage_number INTEGER NOT NULL CHECK (stage_number >= 0),
            content TEXT NOT NULL,
            created_at DATETIME NOT NULL
        );
        CREATE INDEX comments_by_ticket ON comments(ticket_id, id);

        CREATE TABLE workers (
            worker_id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES projects(repository_name) ON DELETE CASCADE,
            worker_type TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'spawning'
                CHECK (status IN ('spawning', 'active', 'idle', 'finished', 'failed', 'stopped')),
            pid INTEGER,
            process_started_at TEXT,
            queue_name TEXT NOT NULL UNIQUE,
            started_at DATETIME,
            last_activity DATETIME,
            exit_code INTEGER,
            exit_signal INTEGER,
            run_count INTEGER NOT NULL DEFAULT 0,
            session_id TEXT,
            total_cost_usd REAL NOT NULL DEFAULT 0,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            log_path TEXT,
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL
        );
        CREATE INDEX workers_by_project_type ON workers(project_id, worker_type, status);

        CREATE TABLE tasks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            project_id TEXT NOT NULL REFERENCES projects(repository_name) ON DELETE CASCADE,
            worker_type TEXT NOT NULL,
            queue_name TEXT,
            ticket_id TEXT NOT NULL REFERENCES tickets(ticket_id) ON DELETE CASCADE,
            stage INTEGER NOT NULL CHECK (stage >= 0),
            state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'claimed', 'done', 'failed', 'discarded')),
            attempt INTEGER NOT NULL DEFAULT 0,
            max_attempts INTEGER NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
            claimed_by TEXT,
            lease_expires_at DATETIME,
            priority INTEGER NOT NULL DEFAULT 1,
            last_error TEXT,
            error_history TEXT NOT NULL DEFAULT '[]',
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL
        );
        CREATE INDEX tasks_ready_by_queue ON tasks(queue_name, state, priority DESC, id);
        CREATE INDEX tasks_by_ticket ON tasks(ticket_id, id);

        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_type TEXT NOT NULL,
            project_id TEXT,
            ticket_id TEXT,
            worker_id TEXT,
            stage INTEGER,
            reason TEXT,
            payload TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
            created_at DATETIME NOT NULL,
            processed INTEGER NOT NULL DEFAULT 0 CHECK (processed IN (0, 1))
        );
        CREATE INDEX events_by_processed ON events(processed, id);
        """
}
