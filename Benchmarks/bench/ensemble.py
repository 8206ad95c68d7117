"""A vibe-ensemble server for the queue, lists and memory sections: started on a free loopback port
in a temporary data directory, with the fast fake worker (`fake_claude.py`) as its Claude Code, and
a coordinator session over the raw MCP client of `common` that counts every error.

    with Ensemble(binary, quick_name="queue", extra=("--max-workers", "8")) as server:
        coordinator = server.coordinator()
        coordinator.call("create_project", {...})
"""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import signal
import statistics
import sys
import tempfile
import time
from typing import Any

from .common import McpClient, McpError, free_port, start_process, stop_process, wait_for_file, wait_for_port

HERE = pathlib.Path(__file__).resolve().parent
FAKE_CLAUDE = HERE / "fake_claude.py"
PROJECT = "bench/repo"


class Coordinator:
    """The coordinator's MCP session; every tool result with isError is counted (and kept, up to 20)."""

    def __init__(self, port: int, token: str | None, timeout: float = 120):
        self.client = McpClient(port, token, timeout=timeout)
        self.client.initialize()
        self.errors = 0
        self.protocol_errors = 0
        self.error_samples: list[str] = []
        self.tools = {tool["name"]: tool for tool in self.client.rpc("tools/list", {}).get("tools", [])}

    def call(self, name: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
        """The tool's structuredContent; an error result, or an answer without the response (a
        protocol error), is counted and returns {}."""
        try:
            result = self.client.call_tool(name, arguments or {}, check=False)
        except McpError as error:
            self.errors += 1
            self.protocol_errors += 1
            if len(self.error_samples) < 20:
                self.error_samples.append(f"{name}: {str(error)[:300]}")
            return {}
        if result.get("isError"):
            self.errors += 1
            if len(self.error_samples) < 20:
                text = "".join(c.get("text", "") for c in result.get("content", []))
                self.error_samples.append(f"{name}: {text[:300]}")
            return {}
        return result.get("structuredContent") or {}

    def accepts(self, tool: str, argument: str) -> bool:
        schema = self.tools.get(tool, {}).get("inputSchema", {})
        return argument in schema.get("properties", {})

    def events(self, types: list[str], since: int = 0, limit: int = 1000) -> list[dict]:
        return self.call("get_events", {"event_types": types, "since_id": since, "limit": limit}).get("events", [])

    def close(self) -> None:
        self.client.close()


class Ensemble:
    """One `vibe-ensemble serve` child with its own data directory, project directory and fake Claude."""

    def __init__(self, binary: str, name: str, extra: tuple[str, ...] = (), env: dict[str, str] | None = None,
                 linger: float = 1.0):
        self.binary = binary
        self.temp = pathlib.Path(tempfile.mkdtemp(prefix=f"vibe-bench-{name}-"))
        self.data_dir = self.temp / "data"
        self.project_dir = self.temp / "repo"
        self.project_dir.mkdir()
        self.stats_file = self.temp / "worker-stats.jsonl"
        self.log = self.temp / "server.log"
        self.port = free_port()
        self.extra = tuple(extra)
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("VIBE_ENSEMBLE_", "ANTHROPIC_"))}
        # The fake's `#!/usr/bin/env python3` finds this interpreter, not a slow pyenv shim.
        environment["PATH"] = f"{pathlib.Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}"
        environment.update(FAKE_CLAUDE_STATS=str(self.stats_file), FAKE_CLAUDE_LINGER=str(linger))
        environment.update(env or {})
        self.env = environment
        self.process = None
        self.token: str | None = None
        self.coordinators: list[Coordinator] = []

    @property
    def database(self) -> pathlib.Path:
        return self.data_dir / "vibe-ensemble.db"

    @property
    def pid(self) -> int:
        return self.process.pid

    def __enter__(self) -> "Ensemble":
        self.start()
        return self

    def __exit__(self, kind, *_) -> None:
        self.stop(keep=kind is not None)

    def start(self) -> None:
        self.process = start_process(
            [self.binary, "serve", "--port", str(self.port), "--data-dir", str(self.data_dir),
             "--claude-path", str(FAKE_CLAUDE), "--log-level", "warning", "--stop-grace", "2", *self.extra],
            log=self.log, env=self.env, cwd=str(self.temp))
        wait_for_port(self.port, self.process, timeout=30)
        self.token = wait_for_file(self.data_dir / "coordinator-token", self.process, timeout=10)

    def coordinator(self, timeout: float = 120) -> Coordinator:
        coordinator = Coordinator(self.port, self.token, timeout)
        self.coordinators.append(coordinator)
        return coordinator

    def stop(self, keep: bool = False) -> None:
        """Stops the server (gracefully: it stops its workers), kills any worker left, and removes
        the temporary directory unless `keep` (a failed run) or VIBE_BENCH_KEEP=1."""
        for coordinator in self.coordinators:
            coordinator.close()
        stop_process(self.process, timeout=30)
        for pid in self.leftover_workers():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if keep or os.environ.get("VIBE_BENCH_KEEP") == "1":
            print(f"kept {self.temp} (server log: {self.log})", file=sys.stderr)
        else:
            shutil.rmtree(self.temp, ignore_errors=True)

    def leftover_workers(self) -> list[int]:
        """Live processes started as this server's workers (they run in its project directory)."""
        found = []
        for entry in pathlib.Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if os.readlink(entry / "cwd") == str(self.project_dir) and \
                        b"VIBE_ENSEMBLE_WORKER_ID=" in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
        return found

    # ----------------------------------------------------------------- set-up and waiting

    def set_up(self, coordinator: Coordinator, types: dict[str, int]) -> None:
        """The benchmark project and one worker type per entry (name → max_workers).

        The types work their queue in one session (`per_queue`): these benchmarks measure the server
        and its durable queue, and a fresh process per task would measure Python's start-up instead
        (in real use it is Claude Code's own start, seconds per task either way)."""
        coordinator.call("create_project", {"repository_name": PROJECT, "path": str(self.project_dir)})
        for worker_type, max_workers in types.items():
            coordinator.call("create_worker_type", {
                "project_id": PROJECT, "worker_type": worker_type, "max_workers": max_workers,
                "session": "per_queue", "system_prompt": f"You are the {worker_type}. Do your stage and report."})

    def worker_stats(self) -> dict[str, Any]:
        """What the fake workers appended: runs, stages completed, tool calls, every isError result,
        each tool's latency (p50/p99 over every call) and the seconds they slept on an empty queue."""
        runs, cycles, calls, errors, idle = 0, 0, 0, [], 0.0
        latencies: dict[str, list[float]] = {}
        if self.stats_file.exists():
            for line in self.stats_file.read_text().splitlines():
                entry = json.loads(line)
                runs += 1
                cycles += entry["cycles"]
                calls += entry["calls"]
                errors += entry["errors"]
                idle += entry.get("idle_seconds", 0.0)
                for tool, values in entry.get("latencies", {}).items():
                    latencies.setdefault(tool, []).extend(values)
        return {"runs": runs, "cycles": cycles, "calls": calls, "errors": len(errors), "error_samples": errors[:10],
                "idle_seconds": round(idle, 3),
                "latency": {tool: percentiles(values) for tool, values in latencies.items()}}


def wait_for_completed(coordinator: Coordinator, since: int, count: int, timeout: float, poll: float = 0.02) -> dict:
    """Polls get_events (read only, 50 Hz) until `count` ticket_completed events newer than `since`.

    The poll decides how late the end of a run is seen: at 4 Hz it added 125 ms on average to a
    run of two seconds; a read of a few new events costs the server well under 1% of a core.

    Returns {"completed", "last_event_id", "seconds", "timed_out"}; bounded by `timeout`."""
    start = time.monotonic()
    completed, last = 0, since
    while completed < count:
        events = coordinator.events(["ticket_completed"], since=last)
        completed += len(events)
        if events:
            last = events[-1]["id"]
            continue  # there may be more than one page
        if time.monotonic() - start > timeout:
            return {"completed": completed, "last_event_id": last, "seconds": time.monotonic() - start,
                    "timed_out": True}
        time.sleep(poll)
    return {"completed": completed, "last_event_id": last, "seconds": time.monotonic() - start, "timed_out": False}


def latest_event_id(coordinator: Coordinator) -> int:
    """The id of the newest event (0 when there is none); these sections never mark events processed."""
    last = 0
    for _ in range(1000):
        events = coordinator.call("get_events", {"since_id": last, "limit": 1000}).get("events", [])
        if not events:
            return last
        last = events[-1]["id"]
    return last


def problem_events(coordinator: Coordinator) -> dict[str, int]:
    """How many events say a worker or a task went wrong."""
    counts = {}
    for kind in ("worker_failed", "task_requeued", "task_discarded", "ticket_needs_attention"):
        counts[kind] = len(coordinator.events([kind], since=0))
    return counts


def percentiles(values: list[float]) -> dict[str, float]:
    """p50, p99, mean and max of `values` (seconds), in milliseconds."""
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000

    return {"n": len(values), "p50_ms": at(0.50), "p99_ms": at(0.99), "mean_ms": statistics.fmean(values) * 1000,
            "max_ms": ordered[-1] * 1000}


__all__ = ["Coordinator", "Ensemble", "McpError", "PROJECT", "wait_for_completed", "latest_event_id",
           "problem_events", "percentiles"]
