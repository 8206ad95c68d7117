"""Measures how fast vibe-ensemble gets work to a worker, against references run side by side.

1. Spawn latency: from `create_ticket` to the worker's first MCP tool call, versus starting the
   same `claude -p` by hand and timing its first tool call (the floor any supervisor pays).
2. Tool-call latency: a `get_ticket` MCP call versus a bare `GET /health` on the same server.

Workers are real `claude` processes driven by the scripted fake model (no network, no tokens).
Run: .venv/bin/python Benchmarks/worker_latency.py  (after ./scripts/test has built and set up)
"""

import asyncio
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "Interop"))

import httpx2  # noqa: E402
from conftest import ServerProcess  # noqa: E402
from fake_model import FakeModel, Script  # noqa: E402
from workers import run_coordinator  # noqa: E402

ROUNDS = 5
CALLS = 200


def claude_path() -> pathlib.Path:
    import claude_agent_sdk
    return pathlib.Path(claude_agent_sdk.__file__).parent / "_bundled" / "claude"


def first_call_after(script: Script, worker: str, since: float, timeout: float = 60) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with script.lock:
            calls = [t for t, who, _ in script.tool_calls if who == worker and t >= since]
        if calls:
            return min(calls) - since
        time.sleep(0.005)
    raise RuntimeError(f"{worker} made no tool call within {timeout}s")


def main() -> None:
    temp = pathlib.Path(tempfile.mkdtemp(prefix="vibe-bench-"))
    (temp / "home").mkdir()
    (temp / "repo").mkdir()
    script = Script()
    with FakeModel(script) as model:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "CLAUDE"))}
        env.update(HOME=str(temp / "home"), CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1",
                   ANTHROPIC_API_KEY="bench", ANTHROPIC_BASE_URL=model.url)
        server = ServerProcess(temp / "db" / "bench.db", env=env,
                               extra=("--claude-path", str(claude_path()), "--data-dir", str(temp / "data"))).start()
        try:
            ours, tools, health = run_coordinator(server.url, lambda c: measure_ensemble(c, script, temp, server))
            reference = measure_bare_claude(script, temp, env, server)
        finally:
            server.stop()
    report("create_ticket -> first worker tool call", ours, "bare claude -p -> first tool call", reference)
    report("MCP tool call (get_ticket)", tools, "bare HTTP GET /health", health)


async def measure_ensemble(coordinator, script, temp, server):
    await coordinator.call("create_project", {"repository_name": "bench/repo", "path": str(temp / "repo")})
    await coordinator.call("create_worker_type", {
        "project_id": "bench/repo", "worker_type": "coder", "system_prompt": "You are the coder."})
    latencies = []
    for number in range(ROUNDS):
        start = time.monotonic()
        await coordinator.call("create_ticket", {
            "project_id": "bench/repo", "title": f"T{number}", "description": "d", "execution_plan": ["coder"]})
        latencies.append(await asyncio.to_thread(first_call_after, script, "worker_coder_1", start))
        await coordinator.wait_until(lambda: coordinator.tickets_closed(number + 1), timeout=120)
        await coordinator.wait_until(coordinator.workers_settled, timeout=60)
    tool_calls = []
    for _ in range(CALLS):
        start = time.perf_counter()
        await coordinator.call("get_ticket", {"ticket_id": "REPO-1"})
        tool_calls.append(time.perf_counter() - start)
    health = []
    async with httpx2.AsyncClient() as client:
        for _ in range(CALLS):
            start = time.perf_counter()
            response = await client.get(f"http://127.0.0.1:{server.port}/health")
            response.raise_for_status()
            health.append(time.perf_counter() - start)
    return latencies, tool_calls, health


def measure_bare_claude(script, temp, env, server):
    """The same claude command a worker gets, started directly: the floor of spawn latency."""
    config = {"mcpServers": {"vibe-ensemble": {"type": "http", "url": server.url, "timeout": 600000}}}
    latencies = []
    for number in range(ROUNDS):
        worker = f"reference_{number}"
        system = f"WORKER CONFIGURATION:\n- Worker ID: {worker}\n- Worker Type: coder\n- Queue Name: queue_coder_1\n"
        start = time.monotonic()
        process = subprocess.Popen(
            [str(claude_path()), "-p", "Process your queue.", "--append-system-prompt", system,
             "--output-format", "stream-json", "--verbose", "--mcp-config", json.dumps(config),
             "--strict-mcp-config", "--allowedTools", "mcp__vibe-ensemble__get_next_task"],
            cwd=temp / "repo", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            latencies.append(first_call_after(script, worker, start))
        finally:
            process.wait(timeout=120)
    return latencies


def report(name, values, reference_name, reference):
    ours, base = statistics.median(values), statistics.median(reference)
    print(f"{name}: median {ours * 1000:.1f} ms over {len(values)}")
    print(f"  reference, {reference_name}: median {base * 1000:.1f} ms over {len(reference)}")
    print(f"  ratio: {ours / base:.2f}x")


if __name__ == "__main__":
    main()
