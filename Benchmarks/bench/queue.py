"""The durable queue: claim→complete cycles/s with fast fake workers, against the raw-SQLite ceiling.

The server runs with `fake_claude.py` as its Claude Code: each worker opens one MCP session and
loops get_next_task → get_ticket → complete_ticket_stage at full speed. One phase files 500
tickets with a 1-stage plan, another 500 (quick: 100) with a 3-stage plan, each on a fresh server;
cycles/s is counted from the first create_ticket to the last ticket_completed event, and
create_ticket's latency is timed while the workers run. Every tool result with isError (the
coordinator's and the workers') is counted; the goal is none.

The reference is the raw-SQLite ceiling: Python's sqlite3 on the same filesystem (a temporary
directory next to the server's data directory), WAL, synchronous=FULL, running the statements the
server's store runs, in the same transactions (captured with sqltrace.c; see `Replay`), on the
schema copied from the server's own database. Per ticket one write transaction (create_ticket);
per cycle a write transaction for the claim (get_next_task), two read transactions (get_ticket:
the worker's access check, then ticket, comments and tasks) and a write transaction for the
completion (complete_ticket_stage, ending with the dispatch pass). With synchronous=FULL every
write commit is one fdatasync of the WAL: 3 per cycle with one stage, 2⅓ with three. The ceiling
files a ticket, then runs its stages one after the other, so no backlog builds up: it is what
SQLite can do with these statements when nothing waits. It runs right before and right after the
server's run and the reference is the mean of the two (the disk's fsync latency drifts with
whatever else runs on the machine). Not replayed: the reads that react to every commit (the event
feed's `SELECT * FROM events WHERE id > ?`, the supervisor's `SELECT * FROM workers WHERE status =
'spawning'`), the worker's activity write (every 5 s), spawning and exits.

A short last phase counts the server's own fsync/fdatasync calls on its database files per cycle
with strace (when strace can attach), against the ceiling's: the goal compares like with like only
if both sync alike (GRDB's DatabasePool sets synchronous=NORMAL on its writer when it enables WAL,
after the configuration's prepareDatabase has set FULL).
"""
from __future__ import annotations

import datetime
import json
import os
import pathlib
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from typing import Any

from .common import row
from .ensemble import PROJECT, Ensemble, percentiles, problem_events, wait_for_completed

SECTION = "queue"
PLANS = {1: ["coder"], 3: ["planner", "coder", "reviewer"]}
# How many workers of each type run at once (the type's max_workers).
WORKERS_PER_TYPE = int(os.environ.get("VIBE_BENCH_WORKERS_PER_TYPE", "2"))
# Tickets are filed one after another on one coordinator session; the wait for the last is bounded.
WAIT_TIMEOUT = 240


# The server's schema (migrations v1–v5, as of commit f150952), for when its own cannot be replayed.
FALLBACK_SCHEMA = [
    "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)",
    "CREATE TABLE projects (\n    repository_name TEXT PRIMARY KEY NOT NULL,\n    path TEXT NOT NULL,\n    description TEXT,\n    rules TEXT,\n    patterns TEXT,\n    created_at DATETIME NOT NULL,\n    updated_at DATETIME NOT NULL\n, next_ticket_number INTEGER NOT NULL DEFAULT 1 CHECK (next_ticket_number >= 1))",
    "CREATE TABLE worker_types (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    project_id TEXT NOT NULL REFERENCES projects(repository_name) ON DELETE CASCADE,\n    worker_type TEXT NOT NULL,\n    description TEXT,\n    system_prompt TEXT NOT NULL,\n    model TEXT,\n    permission_mode TEXT,\n    allowed_tools TEXT,\n    disallowed_tools TEXT,\n    max_workers INTEGER NOT NULL DEFAULT 1 CHECK (max_workers >= 1),\n    stage_timeout_seconds INTEGER NOT NULL DEFAULT 1800 CHECK (stage_timeout_seconds >= 1),\n    created_at DATETIME NOT NULL,\n    updated_at DATETIME NOT NULL, sandbox INTEGER NOT NULL DEFAULT 0 CHECK (sandbox IN (0, 1)),\n    UNIQUE (project_id, worker_type)\n)",
    "CREATE TABLE tickets (\n    ticket_id TEXT PRIMARY KEY NOT NULL,\n    project_id TEXT NOT NULL REFERENCES projects(repository_name) ON DELETE CASCADE,\n    title TEXT NOT NULL,\n    description TEXT NOT NULL,\n    execution_plan TEXT NOT NULL CHECK (json_valid(execution_plan) AND json_array_length(execution_plan) >= 1),\n    current_stage INTEGER NOT NULL DEFAULT 0 CHECK (current_stage >= 0),\n    last_completed_stage INTEGER,\n    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'in_progress', 'on_hold', 'closed')),\n    resolution TEXT CHECK (resolution IN ('completed', 'stopped')),\n    close_reason TEXT,\n    priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),\n    created_at DATETIME NOT NULL,\n    updated_at DATETIME NOT NULL,\n    closed_at DATETIME\n, rework_rounds INTEGER NOT NULL DEFAULT 0 CHECK (rework_rounds >= 0), max_rounds INTEGER NOT NULL DEFAULT 5 CHECK (max_rounds >= 0))",
    "CREATE TABLE comments (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    ticket_id TEXT NOT NULL REFERENCES tickets(ticket_id) ON DELETE CASCADE,\n    worker_type TEXT NOT NULL,\n    worker_id TEXT NOT NULL,\n    stage_number INTEGER NOT NULL CHECK (stage_number >= 0),\n    content TEXT NOT NULL,\n    created_at DATETIME NOT NULL\n)",
    "CREATE TABLE workers (\n    worker_id TEXT PRIMARY KEY NOT NULL,\n    project_id TEXT NOT NULL REFERENCES projects(repository_name) ON DELETE CASCADE,\n    worker_type TEXT NOT NULL,\n    status TEXT NOT NULL DEFAULT 'spawning'\n        CHECK (status IN ('spawning', 'active', 'idle', 'finished', 'failed', 'stopped')),\n    pid INTEGER,\n    process_started_at TEXT,\n    queue_name TEXT NOT NULL UNIQUE,\n    started_at DATETIME,\n    last_activity DATETIME,\n    exit_code INTEGER,\n    exit_signal INTEGER,\n    run_count INTEGER NOT NULL DEFAULT 0,\n    session_id TEXT,\n    total_cost_usd REAL NOT NULL DEFAULT 0,\n    input_tokens INTEGER NOT NULL DEFAULT 0,\n    output_tokens INTEGER NOT NULL DEFAULT 0,\n    log_path TEXT,\n    created_at DATETIME NOT NULL,\n    updated_at DATETIME NOT NULL\n, status_reason TEXT, auto_spawn_blocked INTEGER NOT NULL DEFAULT 0, turns INTEGER NOT NULL DEFAULT 0, quick_failures INTEGER NOT NULL DEFAULT 0, run_completions INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE tasks (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    project_id TEXT NOT NULL REFERENCES projects(repository_name) ON DELETE CASCADE,\n    worker_type TEXT NOT NULL,\n    queue_name TEXT,\n    ticket_id TEXT NOT NULL REFERENCES tickets(ticket_id) ON DELETE CASCADE,\n    stage INTEGER NOT NULL CHECK (stage >= 0),\n    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'claimed', 'done', 'failed', 'discarded')),\n    attempt INTEGER NOT NULL DEFAULT 0,\n    max_attempts INTEGER NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),\n    claimed_by TEXT,\n    lease_expires_at DATETIME,\n    priority INTEGER NOT NULL DEFAULT 1,\n    last_error TEXT,\n    error_history TEXT NOT NULL DEFAULT '[]',\n    created_at DATETIME NOT NULL,\n    updated_at DATETIME NOT NULL\n, failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0), waiting_reason TEXT, pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)), claimed_from TEXT)",
    "CREATE TABLE events (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    event_type TEXT NOT NULL,\n    project_id TEXT,\n    ticket_id TEXT,\n    worker_id TEXT,\n    stage INTEGER,\n    reason TEXT,\n    payload TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),\n    created_at DATETIME NOT NULL,\n    processed INTEGER NOT NULL DEFAULT 0 CHECK (processed IN (0, 1))\n)",
    "CREATE INDEX tickets_by_project_state ON tickets(project_id, state)",
    "CREATE INDEX comments_by_ticket ON comments(ticket_id, id)",
    "CREATE INDEX workers_by_project_type ON workers(project_id, worker_type, status)",
    "CREATE INDEX tasks_ready_by_queue ON tasks(queue_name, state, priority DESC, id)",
    "CREATE INDEX tasks_by_ticket ON tasks(ticket_id, id)",
    "CREATE INDEX events_by_processed ON events(processed, id)",
    "CREATE INDEX tasks_by_claimant ON tasks(claimed_by, state)",
]


# --------------------------------------------------------------------------- the server run


def measure_server(binary: str, stages: int, tickets: int) -> dict[str, Any]:
    plan = PLANS[stages]
    with Ensemble(binary, f"queue{stages}", extra=("--max-workers", str(WORKERS_PER_TYPE * len(plan))),
                  linger=1.0) as server:
        coordinator = server.coordinator()
        server.set_up(coordinator, {worker_type: WORKERS_PER_TYPE for worker_type in plan})
        # The ceiling runs right before the server's run and right after it (the server idle), on
        # the server's own schema: the disk's fsync latency drifts with whatever else runs.
        schema = copy_schema(server.database)
        ceiling_before = measure_ceiling(schema, stages, tickets, "FULL", server.temp.parent)
        creates = []
        start = time.monotonic()
        for number in range(tickets):
            began = time.perf_counter()
            coordinator.call("create_ticket", {
                "project_id": PROJECT, "title": f"Ticket {number}", "execution_plan": plan,
                "description": f"Benchmark ticket {number}: a {stages}-stage plan."})
            creates.append(time.perf_counter() - began)
        filed = time.monotonic() - start
        waited = wait_for_completed(coordinator, 0, tickets, timeout=WAIT_TIMEOUT)
        elapsed = time.monotonic() - start
        syncs = count_server_syncs(server, coordinator, plan, waited["last_event_id"])
        problems = problem_events(coordinator)
        coordinator_errors = coordinator.errors
        samples = coordinator.error_samples
        # Let the lingering workers exit before the server stops, so the stats are complete.
        deadline = time.monotonic() + 10
        while server.leftover_workers() and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = server.worker_stats()
        ceiling_after = measure_ceiling(schema, stages, tickets, "FULL", server.temp.parent)
        normal = measure_ceiling(schema, stages, tickets, "NORMAL", server.temp.parent)
    cycles = waited["completed"] * stages
    return {
        "tickets": tickets, "stages": stages, "workers_per_type": WORKERS_PER_TYPE,
        "completed": waited["completed"], "timed_out": waited["timed_out"],
        "seconds": elapsed, "filing_seconds": filed, "cycles": cycles, "cycles_per_s": cycles / elapsed,
        "create_ticket": percentiles(creates), "coordinator_errors": coordinator_errors,
        "coordinator_protocol_errors": coordinator.protocol_errors,
        "coordinator_error_samples": samples, "workers": workers, "problem_events": problems,
        "errors": coordinator_errors + workers["errors"], "syncs": syncs, "schema": schema,
        "ceiling_full": [ceiling_before, ceiling_after], "ceiling_normal": normal,
    }


def count_server_syncs(server: Ensemble, coordinator, plan: list[str], since: int, tickets: int = 20) -> dict:
    """fsync + fdatasync calls of the server on its database files while `tickets` more tickets go
    through (strace -f -y attached to the server)."""
    if not shutil.which("strace"):
        return {"skipped": "no strace"}
    output = server.temp / "strace.txt"
    tracer = subprocess.Popen(["strace", "-f", "-y", "-e", "trace=fsync,fdatasync,pwrite64", "-o", str(output),
                               "-p", str(server.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        time.sleep(0.5)
        if tracer.poll() is not None:
            return {"skipped": f"strace could not attach: {tracer.stderr.read().decode()[:200]}"}
        for number in range(tickets):
            coordinator.call("create_ticket", {"project_id": PROJECT, "title": f"Sync {number}",
                                               "description": "Counting syncs.", "execution_plan": plan})
        waited = wait_for_completed(coordinator, since, tickets, timeout=60)
    finally:
        if tracer.poll() is None:
            tracer.send_signal(signal.SIGINT)
        try:
            tracer.wait(timeout=10)
        except subprocess.TimeoutExpired:
            tracer.kill()
            tracer.wait()
    calls = parse_syncs(output)
    on_database = sum(n for path, n in calls.items() if path.startswith(str(server.database)))
    # The WAL writes prove that strace saw the commits (no sync at all is then the server's doing).
    wal_writes = parse_syncs(output, ("pwrite64(",)).get(f"{server.database}-wal", 0)
    cycles = waited["completed"] * len(plan)
    return {"tickets": tickets, "completed": waited["completed"], "calls_by_file": calls, "wal_writes": wal_writes,
            "database_calls": on_database,
            "per_cycle": on_database / cycles if cycles and wal_writes else None}


def parse_syncs(path: pathlib.Path, calls: tuple[str, ...] = ("fsync(", "fdatasync(")) -> dict[str, int]:
    """Calls per file in `strace -f -y` output (`123 fdatasync(9</path/db-wal>) = 0`)."""
    counts: dict[str, int] = {}
    try:
        text = path.read_text()
    except OSError:
        return counts
    for line in text.splitlines():
        for call in calls:
            if call in line and "<" in line:
                name = line.split("<", 1)[1].split(">", 1)[0]
                counts[name] = counts.get(name, 0) + 1
    return counts


def copy_schema(database: pathlib.Path) -> list[str]:
    """The CREATE statements of the server's tables and indexes, read from its database."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return [sql for (sql,) in connection.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, rowid")]
    finally:
        connection.close()


# --------------------------------------------------------------------------- the raw-SQLite ceiling


def timestamp() -> str:
    """A timestamp as GRDB stores dates."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def lease(seconds: int = 1800) -> str:
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


class Replay:
    """The server's statements per ticket and per cycle, on raw sqlite3 (one writer, one reader)."""

    def __init__(self, path: pathlib.Path, schema: list[str], plan: list[str], workers_per_type: int,
                 synchronous: str = "FULL"):
        self.plan = plan
        self.writer = sqlite3.connect(str(path), isolation_level=None)
        for pragma in ("PRAGMA journal_mode=WAL", f"PRAGMA synchronous={synchronous}", "PRAGMA foreign_keys=ON"):
            self.writer.execute(pragma).fetchall()
        self.writer.execute("BEGIN IMMEDIATE")
        for statement in schema:
            self.writer.execute(statement)
        now = timestamp()
        self.writer.execute("INSERT INTO projects (repository_name, path, created_at, updated_at) VALUES (?, ?, ?, ?)",
                            (PROJECT, "/tmp", now, now))
        self.queues: dict[str, list[tuple[str, str]]] = {}
        for worker_type in dict.fromkeys(plan):
            self.writer.execute(
                "INSERT INTO worker_types (project_id, worker_type, system_prompt, max_workers, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)", (PROJECT, worker_type, f"You are the {worker_type}.", workers_per_type,
                                               now, now))
            self.queues[worker_type] = []
            for number in range(1, workers_per_type + 1):
                worker, queue = f"worker_{worker_type}_{number}", f"queue_{worker_type}_{number}"
                self.writer.execute(
                    "INSERT INTO workers (worker_id, project_id, worker_type, status, queue_name, created_at, updated_at)"
                    " VALUES (?, ?, ?, 'active', ?, ?, ?)", (worker, PROJECT, worker_type, queue, now, now))
                self.queues[worker_type].append((worker, queue))
        self.writer.execute("COMMIT")
        self.reader = sqlite3.connect(str(path), isolation_level=None)
        self.reader.execute(f"PRAGMA synchronous={synchronous}").fetchall()
        self.turn = 0
        self.number = 0

    def close(self) -> None:
        self.reader.close()
        self.writer.close()

    # The dispatch pass that ends create_ticket and complete_ticket_stage: place the new task.
    def dispatch(self, db, task_id: int | None, queue: str | None, now: str) -> None:
        queued = db.execute("SELECT * FROM tasks WHERE state = ?", ("queued",)).fetchall()
        if not queued:
            return
        db.execute("SELECT queue_name, COUNT(*) AS n FROM tasks WHERE queue_name IS NOT NULL AND state IN (?, ?) "
                   "GROUP BY queue_name", ("queued", "claimed")).fetchall()
        db.execute("SELECT * FROM workers").fetchall()
        db.execute("SELECT project_id, worker_type, max_workers FROM worker_types").fetchall()
        if task_id is not None:
            db.execute("UPDATE tasks SET queue_name = ?, waiting_reason = NULL, pinned = 0, updated_at = ? WHERE id = ?",
                       (queue, now, task_id))

    def next_queue(self, worker_type: str) -> tuple[str, str]:
        self.turn += 1
        workers = self.queues[worker_type]
        return workers[self.turn % len(workers)]

    def insert_task(self, db, ticket: str, worker_type: str, stage: int, now: str) -> int:
        cursor = db.execute(
            "INSERT INTO tasks (project_id, worker_type, queue_name, ticket_id, stage, state, attempt, max_attempts, "
            "priority, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, 'queued', 0, 3, 1, ?, ?)",
            (PROJECT, worker_type, ticket, stage, now, now))
        return cursor.lastrowid

    def create_ticket(self) -> tuple[str, str, str, int]:
        db, now = self.writer, timestamp()
        self.number += 1
        ticket = f"REPO-{self.number}"
        db.execute("BEGIN IMMEDIATE")
        db.execute("SELECT * FROM projects WHERE repository_name = ?", (PROJECT,)).fetchall()
        for worker_type in self.plan:
            db.execute("SELECT * FROM worker_types WHERE project_id = ? AND worker_type = ?",
                       (PROJECT, worker_type)).fetchall()
        (number,) = db.execute("SELECT next_ticket_number FROM projects WHERE repository_name = ?", (PROJECT,)).fetchone()
        db.execute("SELECT * FROM tickets WHERE ticket_id = ?", (ticket,)).fetchall()
        db.execute("UPDATE projects SET next_ticket_number = ? WHERE repository_name = ?", (number + 1, PROJECT))
        db.execute("SELECT * FROM tickets WHERE ticket_id = ?", (ticket,)).fetchall()
        db.execute(
            "INSERT INTO tickets (ticket_id, project_id, title, description, execution_plan, priority, max_rounds, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'medium', 5, ?, ?)",
            (ticket, PROJECT, f"Ticket {self.number}", f"Benchmark ticket {self.number}.", json.dumps(self.plan),
             now, now))
        self.event(db, "ticket_created", ticket, None, 0, None,
                   {"execution_plan": ",".join(self.plan), "priority": "medium", "title": f"Ticket {self.number}"}, now)
        db.execute("SELECT * FROM tickets WHERE ticket_id = ?", (ticket,)).fetchall()
        task = self.insert_task(db, ticket, self.plan[0], 0, now)
        worker, queue = self.next_queue(self.plan[0])
        self.dispatch(db, task, queue, now)
        db.execute("COMMIT")
        return ticket, worker, queue, task

    @staticmethod
    def event(db, kind, ticket, worker, stage, reason, payload, now) -> None:
        db.execute("INSERT INTO events (event_type, project_id, ticket_id, worker_id, stage, reason, payload, created_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (kind, PROJECT, ticket, worker, stage, reason, json.dumps(payload, separators=(",", ":")), now))

    def claim(self, worker: str, queue: str, worker_type: str) -> tuple[int, str]:
        db, now = self.writer, timestamp()
        db.execute("BEGIN IMMEDIATE")
        db.execute("SELECT * FROM workers WHERE queue_name = ?", (queue,)).fetchall()
        db.execute("SELECT * FROM tasks WHERE (queue_name = ? OR claimed_from = ?) AND claimed_by = ? AND state = ? "
                   "ORDER BY id", (queue, queue, worker, "claimed")).fetchall()
        task = db.execute(
            "SELECT tasks.* FROM tasks JOIN tickets USING (ticket_id) WHERE tasks.queue_name = ? AND tasks.state = ? "
            "AND tickets.state != ? ORDER BY tasks.priority DESC, tasks.id LIMIT 1", (queue, "queued", "closed")).fetchone()
        task_id, ticket = task[0], task[4]
        db.execute("SELECT * FROM worker_types WHERE project_id = ? AND worker_type = ?",
                   (PROJECT, worker_type)).fetchall()
        db.execute("UPDATE tasks SET state = ?, attempt = attempt + 1, claimed_by = ?, lease_expires_at = ?, "
                   "queue_name = ?, claimed_from = ?, updated_at = ? WHERE id = ?",
                   ("claimed", worker, lease(), queue, None, now, task_id))
        db.execute("UPDATE tickets SET state = ?, updated_at = ? WHERE ticket_id = ? AND state = ?",
                   ("in_progress", now, ticket, "open"))
        db.execute("UPDATE workers SET status = ?, last_activity = ?, updated_at = ? WHERE worker_id = ? "
                   "AND status IN (?, ?)", ("active", now, now, worker, "idle", "active"))
        db.execute("SELECT * FROM tickets WHERE ticket_id = ?", (ticket,)).fetchall()
        db.execute("COMMIT")
        return task_id, ticket

    def get_ticket(self, queue: str, ticket: str) -> None:
        db = self.reader
        # The worker's access check, then the ticket with its comments and tasks: two read transactions.
        db.execute("BEGIN DEFERRED")
        db.execute("PRAGMA schema_version").fetchall()
        db.execute("SELECT EXISTS ( SELECT 1 FROM tasks JOIN workers ON workers.queue_name = tasks.queue_name "
                   "WHERE tasks.queue_name = ? AND tasks.ticket_id = ? AND tasks.project_id = workers.project_id )",
                   (queue, ticket)).fetchall()
        db.execute("COMMIT")
        db.execute("BEGIN DEFERRED")
        db.execute("PRAGMA schema_version").fetchall()
        db.execute("SELECT * FROM tickets WHERE ticket_id = ?", (ticket,)).fetchall()
        db.execute("SELECT * FROM comments WHERE ticket_id = ? AND id <= ? ORDER BY id",
                   (ticket, 9223372036854775807)).fetchall()
        db.execute("SELECT * FROM tasks WHERE ticket_id = ? ORDER BY id", (ticket,)).fetchall()
        db.execute("COMMIT")

    def complete(self, ticket: str, task_id: int, worker: str, stage: int) -> tuple[str, str, int] | None:
        db, now = self.writer, timestamp()
        worker_type = self.plan[stage]
        last = stage == len(self.plan) - 1
        db.execute("BEGIN IMMEDIATE")
        db.execute("SELECT * FROM tickets WHERE ticket_id = ?", (ticket,)).fetchall()
        db.execute("SELECT * FROM tasks WHERE id = ?", (task_id,)).fetchall()
        db.execute("INSERT INTO comments (ticket_id, worker_type, worker_id, stage_number, content, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?)",
                   (ticket, worker_type, worker, stage,
                    f"Stage {stage} ({worker_type}) done by {worker}: nothing to change.", now))
        db.execute("UPDATE tickets SET updated_at = ? WHERE ticket_id = ?", (now, ticket))
        db.execute("UPDATE tasks SET state = ?, lease_expires_at = NULL, updated_at = ? WHERE id = ?",
                   ("done", now, task_id))
        db.execute("UPDATE workers SET run_completions = run_completions + 1, quick_failures = 0 WHERE worker_id = ?",
                   (worker,))
        payload = {"task_id": str(task_id), "worker_type": worker_type}
        self.event(db, "ticket_stage_completed", ticket, worker, stage, None, payload, now)
        placed = None
        if last:
            db.execute("UPDATE tickets SET state = ?, resolution = ?, close_reason = NULL, last_completed_stage = ?, "
                       "closed_at = ?, updated_at = ? WHERE ticket_id = ?", ("closed", "completed", stage, now, now, ticket))
            self.event(db, "ticket_completed", ticket, worker, stage, f"all {len(self.plan)} stages completed",
                       payload, now)
        else:
            db.execute("UPDATE tickets SET current_stage = ?, last_completed_stage = ?, rework_rounds = ?, state = ?, "
                       "updated_at = ? WHERE ticket_id = ?", (stage + 1, stage, 0, "open", now, ticket))
            task = self.insert_task(db, ticket, self.plan[stage + 1], stage + 1, now)
            next_worker, next_queue = self.next_queue(self.plan[stage + 1])
            placed = (next_worker, next_queue, task)
        db.execute("SELECT * FROM tickets WHERE ticket_id = ?", (ticket,)).fetchall()
        self.dispatch(db, placed[2] if placed else None, placed[1] if placed else None, now)
        db.execute("COMMIT")
        return placed

    def ticket_through_all_stages(self) -> None:
        ticket, worker, queue, _ = self.create_ticket()
        for stage, worker_type in enumerate(self.plan):
            task_id, claimed_ticket = self.claim(worker, queue, worker_type)
            self.get_ticket(queue, claimed_ticket)
            placed = self.complete(claimed_ticket, task_id, worker, stage)
            if placed:
                worker, queue, _ = placed


def measure_ceiling(schema: list[str], stages: int, tickets: int, synchronous: str = "FULL",
                    directory: pathlib.Path | None = None) -> dict[str, Any]:
    """The replay's cycles/s on `schema`; on FALLBACK_SCHEMA when the statements do not fit it
    (the server's schema changed in a way the replayed statements do not know)."""
    note = None
    for attempt in (schema, FALLBACK_SCHEMA):
        temp = pathlib.Path(tempfile.mkdtemp(prefix="vibe-bench-ceiling-", dir=directory))
        try:
            replay = Replay(temp / "ceiling.db", attempt, PLANS[stages], WORKERS_PER_TYPE, synchronous)
            try:
                start = time.perf_counter()
                for _ in range(tickets):
                    replay.ticket_through_all_stages()
                seconds = time.perf_counter() - start
            finally:
                replay.close()
            return {"synchronous": synchronous, "tickets": tickets, "stages": stages, "seconds": seconds,
                    "cycles": tickets * stages, "cycles_per_s": tickets * stages / seconds,
                    "filesystem_dir": str(temp.parent), "schema": "fallback" if note else "server's", "note": note}
        except sqlite3.Error as error:
            if attempt is FALLBACK_SCHEMA:
                raise
            note = f"the server's schema did not take the replayed statements ({error}): used FALLBACK_SCHEMA"
        finally:
            shutil.rmtree(temp, ignore_errors=True)
    raise AssertionError("unreachable")


def count_ceiling_syncs(schema: list[str], stages: int, tickets: int = 20) -> dict:
    """fsync + fdatasync calls of the ceiling for `tickets` tickets, replayed in a child under strace -c."""
    if not shutil.which("strace"):
        return {"skipped": "no strace"}
    temp = pathlib.Path(tempfile.mkdtemp(prefix="vibe-bench-ceiling-syncs-"))
    try:
        (temp / "schema.json").write_text(json.dumps(schema))
        script = (
            "import json, pathlib, sys; sys.path.insert(0, sys.argv[1]); from bench.queue import Replay, PLANS, "
            "WORKERS_PER_TYPE; t = pathlib.Path(sys.argv[2]); "
            "r = Replay(t / 'c.db', json.loads((t / 'schema.json').read_text()), PLANS[int(sys.argv[3])], "
            "WORKERS_PER_TYPE); print('START', flush=True); "
            "[r.ticket_through_all_stages() for _ in range(int(sys.argv[4]))]; r.close()")
        # The set-up (schema, the first WAL syncs) is left out: a run with no ticket is subtracted.
        counts = []
        for count in (0, tickets):
            for name in ("c.db", "c.db-wal", "c.db-shm"):
                (temp / name).unlink(missing_ok=True)
            output = temp / f"strace-{count}.txt"
            subprocess.run(["strace", "-f", "-y", "-e", "trace=fsync,fdatasync", "-o", str(output), sys.executable,
                            "-c", script, str(pathlib.Path(__file__).resolve().parents[1]), str(temp), str(stages),
                            str(count)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
            counts.append(sum(n for name, n in parse_syncs(output).items() if name.startswith(str(temp / "c.db"))))
        return {"tickets": tickets, "calls": counts[1] - counts[0], "per_cycle": (counts[1] - counts[0]) / (tickets * stages)}
    except (subprocess.SubprocessError, OSError) as error:
        return {"skipped": f"{type(error).__name__}: {error}"}
    finally:
        shutil.rmtree(temp, ignore_errors=True)


# --------------------------------------------------------------------------- the section


def run(binary: str, quick: bool) -> dict:
    rows, raw = [], {"workers_per_type": WORKERS_PER_TYPE, "loadavg_at_start": os.getloadavg()}
    for stages, tickets in ((1, 500), (3, 100 if quick else 500)):
        server = measure_server(binary, stages, tickets)
        schema = server.pop("schema")
        runs, normal = server.pop("ceiling_full"), server.pop("ceiling_normal")
        ceiling = {"cycles_per_s": sum(r["cycles_per_s"] for r in runs) / len(runs), "runs": runs}
        ceiling_syncs = count_ceiling_syncs(schema, stages)
        raw[f"{stages}_stage"] = {"server": server, "ceiling_full": ceiling, "ceiling_normal": normal,
                                  "ceiling_syncs": ceiling_syncs, "schema": schema}
        ratio = server["cycles_per_s"] / ceiling["cycles_per_s"]
        label = f"{tickets} tickets × {stages} stage{'s' if stages > 1 else ''}"
        rows.append(row(SECTION, f"claim→complete cycles/s, {label} (ref: raw sqlite3 WAL+FULL)",
                        round(server["cycles_per_s"], 1), round(ceiling["cycles_per_s"], 1), ratio,
                        "≥ 50% of ceiling", ratio >= 0.5 and server["completed"] == tickets))
        rows.append(row(SECTION, f"create_ticket p50 ms under load, {label}", round(server["create_ticket"]["p50_ms"], 2)))
        rows.append(row(SECTION, f"create_ticket p99 ms under load, {label}", round(server["create_ticket"]["p99_ms"], 2)))
        problems = sum(server["problem_events"].values())
        rows.append(row(SECTION, f"errors (isError results, failed/requeued tasks), {label}",
                        server["errors"] + problems + (tickets - server["completed"]), goal="0",
                        met=server["errors"] + problems == 0 and server["completed"] == tickets))
        server_syncs = server["syncs"].get("per_cycle")
        if server_syncs is not None:
            rows.append(row(SECTION, f"fsync+fdatasync per cycle, {label} (ref: ceiling with FULL)",
                            round(server_syncs, 2), ceiling_syncs.get("per_cycle") and round(ceiling_syncs["per_cycle"], 2),
                            # Group commit shares one fsync among the writes that wait together, so
                            # FULL shows fewer syncs than the ceiling's one per commit, but never the
                            # ~0.1 per cycle of NORMAL (a sync only at checkpoints).
                            goal="every commit synced (≥ 0.5)", met=server_syncs >= 0.5))
        rows.append(row(SECTION, f"(raw sqlite3 WAL+NORMAL cycles/s, {label})", round(normal["cycles_per_s"], 1)))
    return {"rows": rows, "raw": raw}


if __name__ == "__main__":
    # cd Benchmarks && ../.venv/bin/python -m bench.queue [BINARY] [--quick]   (run.py runs it too)
    from .common import main
    main(run)
