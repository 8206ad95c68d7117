"""Memory, concurrency and idleness of one server, with fake workers (`fake_claude.py`).

1. RSS over 10,000 tickets (quick: 1,000) through three stages: tickets are filed in a window
   (at most WINDOW in flight), the server's RSS is read from /proc once a second; the baseline is
   the RSS when the first 10% of the tickets have closed, the result the RSS at the end.
   Goal: ≤ +10%.
2. 100 concurrent workers: 100 worker types (max_workers 1 each) on a server started with
   `--max-workers 100`, one ticket each; every fake worker holds its claim until all 100 worker
   processes are alive (counted from /proc), at most HOLD seconds, so all of them run at once.
   Goal: all 100 tickets complete, no error.
3. Idle: once everything is done and every worker has exited (2 s later), the server's CPU time
   over 10 s (/proc/<pid>/stat, 10 ms ticks), in CPU ms per second. Goal: ~0 (≤ 5 ms/s: no
   polling loop). Two more 10 s windows are kept: today the CPU decays over ~30 s after a burst.
"""
from __future__ import annotations

import os
import threading
import time
from typing import Any

from .common import cpu_seconds, row, rss_bytes
from .ensemble import PROJECT, Ensemble, latest_event_id, percentiles, problem_events, wait_for_completed

SECTION = "memory"
PLAN = ["planner", "coder", "reviewer"]
WORKERS_PER_TYPE = 2
WINDOW = 100  # tickets in flight at most while filing
CONCURRENT = 100
HOLD = 60.0  # the longest a concurrent worker holds its claim waiting for the other 99
IDLE_SECONDS = 10.0
IDLE_GOAL_MS_PER_S = 5.0


class Sampler(threading.Thread):
    """Reads the server's RSS (and the number of live workers) every `interval` seconds."""

    def __init__(self, server: Ensemble, interval: float = 1.0, count_workers: bool = False):
        super().__init__(daemon=True)
        self.server, self.interval, self.count_workers = server, interval, count_workers
        self.samples: list[tuple[float, int, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                workers = len(self.server.leftover_workers()) if self.count_workers else 0
                self.samples.append((time.monotonic(), rss_bytes(self.server.pid), workers))
            except OSError:
                return
            self.done.wait(self.interval)

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=5)


def rss_run(server: Ensemble, coordinator, tickets: int, timeout: float) -> dict[str, Any]:
    sampler = Sampler(server)
    sampler.start()
    start = time.monotonic()
    deadline = start + timeout
    filed = completed = 0
    last = latest_event_id(coordinator)
    baseline = baseline_at = None
    creates = []
    try:
        while completed < tickets and time.monotonic() < deadline:
            while filed < tickets and filed - completed < WINDOW:
                began = time.perf_counter()
                created = coordinator.call("create_ticket", {
                    "project_id": PROJECT, "title": f"Ticket {filed}", "execution_plan": PLAN,
                    "description": f"Memory benchmark ticket {filed}: three stages."})
                creates.append(time.perf_counter() - began)
                if created:
                    filed += 1
                elif coordinator.errors > 50:
                    raise RuntimeError(f"create_ticket keeps failing: {coordinator.error_samples[-3:]}")
                else:
                    time.sleep(0.1)
            events = coordinator.events(["ticket_completed"], since=last)
            if events:
                completed += len(events)
                last = events[-1]["id"]
            else:
                time.sleep(0.2)
            if baseline is None and completed >= tickets // 10:
                baseline, baseline_at = rss_bytes(server.pid), time.monotonic() - start
    finally:
        sampler.stop()
    final = rss_bytes(server.pid)
    elapsed = time.monotonic() - start
    after_warmup = [rss for (t, rss, _) in sampler.samples if baseline_at is not None and t - start >= baseline_at]
    step = max(1, len(sampler.samples) // 60)
    return {
        "tickets": tickets, "filed": filed, "completed": completed, "timed_out": completed < tickets,
        "seconds": elapsed, "cycles_per_s": completed * len(PLAN) / elapsed,
        "rss_baseline_bytes": baseline, "rss_baseline_at_s": baseline_at, "rss_final_bytes": final,
        "rss_max_after_warmup_bytes": max(after_warmup) if after_warmup else None,
        "growth": (final - baseline) / baseline if baseline else None,
        "rss_samples_mib": [round(rss / 2**20, 1) for (_, rss, _) in sampler.samples[::step]],
        "create_ticket": percentiles(creates), "last_event_id": last,
    }


def concurrent_run(server: Ensemble, coordinator, since: int) -> dict[str, Any]:
    types = [f"c{number:03d}" for number in range(CONCURRENT)]
    for worker_type in types:
        coordinator.call("create_worker_type", {"project_id": PROJECT, "worker_type": worker_type, "max_workers": 1,
                                                "system_prompt": f"You are {worker_type}."})
    sampler = Sampler(server, interval=0.2, count_workers=True)
    sampler.start()
    start = time.monotonic()
    try:
        for worker_type in types:
            coordinator.call("create_ticket", {"project_id": PROJECT, "title": f"For {worker_type}",
                                               "description": "One of 100 at once.", "execution_plan": [worker_type]})
        filed = time.monotonic() - start
        # Open the gate once all the workers run (or the wait is over): they then complete at once.
        until = time.monotonic() + HOLD
        while time.monotonic() < until and len(server.leftover_workers()) < CONCURRENT:
            time.sleep(0.2)
        all_at = time.monotonic() - start
        server.gate.touch()
        waited = wait_for_completed(coordinator, since, CONCURRENT, timeout=120)
    finally:
        sampler.stop()
    return {"workers": CONCURRENT, "hold_seconds": HOLD, "filing_seconds": filed, "all_running_at_s": all_at,
            "completed": waited["completed"], "seconds": time.monotonic() - start, "timed_out": waited["timed_out"],
            "peak_workers": max((n for (_, _, n) in sampler.samples), default=0),
            "peak_rss_bytes": max((rss for (_, rss, _) in sampler.samples), default=0),
            "last_event_id": waited["last_event_id"]}


def idle_run(server: Ensemble, windows: int = 3) -> dict[str, Any]:
    """CPU over IDLE_SECONDS once every worker has exited; later windows are kept too (raw)."""
    deadline = time.monotonic() + 30
    while server.leftover_workers() and time.monotonic() < deadline:
        time.sleep(0.2)
    left = len(server.leftover_workers())
    time.sleep(2)  # let the last exits settle
    measured = []
    for _ in range(windows):
        before, began = cpu_seconds(server.pid), time.monotonic()
        time.sleep(IDLE_SECONDS)
        used, elapsed = cpu_seconds(server.pid) - before, time.monotonic() - began
        measured.append({"seconds": elapsed, "cpu_seconds": used, "cpu_ms_per_s": used * 1000 / elapsed})
    return {"workers_left": left, **measured[0], "windows": measured}


def run(binary: str, quick: bool) -> dict:
    tickets = 1000 if quick else 10000
    raw: dict[str, Any] = {"loadavg_at_start": os.getloadavg()}
    # Only the concurrent phase's worker types (c000…c099) hold their claims: the server passes its
    # environment to every worker, so the fake applies FAKE_CLAUDE_WORK by type-name prefix.
    env = {"FAKE_CLAUDE_WORK": str(HOLD), "FAKE_CLAUDE_WORK_TYPES": "c0"}
    server = Ensemble(binary, "memory", extra=("--max-workers", str(CONCURRENT)), env=env, linger=1.0)
    server.gate = server.temp / "gate"
    server.env["FAKE_CLAUDE_GATE"] = str(server.gate)
    with server:
        coordinator = server.coordinator()
        server.set_up(coordinator, {worker_type: WORKERS_PER_TYPE for worker_type in PLAN})
        raw["rss"] = rss_run(server, coordinator, tickets, timeout=240 if quick else 1500)
        raw["concurrent"] = concurrent_run(server, coordinator, raw["rss"]["last_event_id"])
        raw["idle"] = idle_run(server)
        raw["problem_events"] = problem_events(coordinator)
        raw["coordinator_errors"] = coordinator.errors
        raw["coordinator_protocol_errors"] = coordinator.protocol_errors
        raw["coordinator_error_samples"] = coordinator.error_samples
        raw["workers"] = server.worker_stats()
    errors = raw["coordinator_errors"] + raw["workers"]["errors"] + sum(raw["problem_events"].values())
    raw["errors"] = errors
    rss, concurrent, idle = raw["rss"], raw["concurrent"], raw["idle"]
    rows = []
    if rss["rss_baseline_bytes"]:
        rows.append(row(SECTION, f"RSS MiB after {tickets:,} tickets × 3 stages (ref: after the first 10%)",
                        round(rss["rss_final_bytes"] / 2**20, 1), round(rss["rss_baseline_bytes"] / 2**20, 1),
                        goal="≤ +10%", met=rss["growth"] <= 0.10 and not rss["timed_out"]))
    else:
        rows.append(row(SECTION, f"RSS over {tickets:,} tickets: warm-up never reached", None, goal="≤ +10%",
                        met=False))
    rows.append(row(SECTION, f"cycles/s over the RSS run ({rss['completed']:,} of {tickets:,} tickets closed)",
                    round(rss["cycles_per_s"], 1)))
    rows.append(row(SECTION, f"{CONCURRENT} concurrent workers: tickets completed (peak {concurrent['peak_workers']} "
                             f"workers at once)", concurrent["completed"], CONCURRENT,
                    goal=f"all {CONCURRENT}, no error",
                    met=concurrent["completed"] == CONCURRENT and errors == 0))
    rows.append(row(SECTION, "errors (isError results, failed/requeued tasks)", errors, goal="0", met=errors == 0))
    rows.append(row(SECTION, f"idle server CPU ms per s (over {IDLE_SECONDS:.0f} s)", round(idle["cpu_ms_per_s"], 2),
                    goal=f"~0 (≤ {IDLE_GOAL_MS_PER_S:.0f})", met=idle["cpu_ms_per_s"] <= IDLE_GOAL_MS_PER_S
                    and idle["workers_left"] == 0))
    later = idle["windows"][-1]
    rows.append(row(SECTION, f"(idle server CPU ms per s, {IDLE_SECONDS * (len(idle['windows']) - 1):.0f}–"
                             f"{IDLE_SECONDS * len(idle['windows']):.0f} s later)", round(later["cpu_ms_per_s"], 2)))
    return {"rows": rows, "raw": raw}


if __name__ == "__main__":
    # cd Benchmarks && ../.venv/bin/python -m bench.memory [BINARY] [--quick]   (run.py runs it too)
    from .common import main
    main(run)
