"""HTTP section: `tools/call get_ticket` under wrk, vibe-ensemble against two references in one run.

- vibe-ensemble (`serve --no-auto-spawn`), one coordinator MCP session, one ticket with a
  1,000-character description and two 1,000-character reports;
- the Python `mcp` SDK server (Benchmarks/reference/python_mcp_server.py), a trivial tool that
  returns exactly the text vibe-ensemble's `get_ticket` returned, with a session of its own;
- a bare Hummingbird 2 JSON echo (Benchmarks/echo) of the same request body.

Every server is first checked with one real call of the exact request wrk will send (a success,
no JSON-RPC error, no `isError`, the expected document), then warmed up (2 s), then wrk runs at
1, 8 and 32 connections, the three servers in alternation, two rounds; the better round of each
(server, connections) is kept. wrk's socket errors, timeouts and HTTP errors, and responses
shorter than the checked one, count as errors; a comparison with errors on either side is not met.
"""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any

from .common import (BENCH, ROOT, McpClient, McpError, cpu_seconds, free_port, response_result, row, rss_bytes,
                     start_process, stop_process, tool_text, wait_for_file, wait_for_port)

SECTION = "http"
ECHO_DIR = BENCH / "echo"
ECHO_BINARY = ECHO_DIR / ".build" / "release" / "echo"
REFERENCE_SERVER = BENCH / "reference" / "python_mcp_server.py"
WRK_SCRIPT = BENCH / "wrk" / "mcp_post.lua"
CONNECTIONS = (1, 8, 32)
SERVERS = ("vibe-ensemble", "python", "echo")
REQUEST_ID = 7


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _text(n: int, seed: str) -> str:
    return (seed * (n // len(seed) + 1))[:n]


def run_wrk(port: int, connections: int, duration: float, body: pathlib.Path, session: str | None = None,
            token: str | None = None) -> dict[str, Any]:
    """One wrk run; returns the script's JSON line (see Benchmarks/wrk/mcp_post.lua)."""
    wrk = shutil.which("wrk")
    if not wrk:
        raise RuntimeError("wrk is not installed (apt-get install -y -q wrk)")
    threads = 1 if connections == 1 else 2
    env = dict(os.environ, WRK_BODY=str(body), WRK_SESSION=session or "", WRK_TOKEN=token or "")
    env.pop("WRK_STATUS", None)
    args = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{duration:g}s", "--latency",
            "--timeout", "5s", "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}"]
    p = subprocess.run(args, env=env, capture_output=True, text=True, timeout=duration + 60)
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    if p.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({p.returncode}): {p.stdout[-500:]} {p.stderr[-500:]}")
    result = json.loads(lines[-1])
    result["connections"], result["threads"] = connections, threads
    return result


def _error_count(w: dict[str, Any], min_bytes: int) -> int:
    e = w["errors"]
    n = e["connect"] + e["read"] + e["write"] + e["status"] + e["timeout"] + (w.get("non2xx") or 0)
    if w["requests"] and w["bytes"] / w["requests"] < min_bytes:
        # Answers shorter than the checked success: something else (an error) was sent back.
        n += max(1, w["requests"] - e["status"])
    return n


def _without_timestamps(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("<time>" if k.endswith("_at") else _without_timestamps(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_timestamps(v) for v in value]
    return value


class Target:
    def __init__(self, name: str, proc: subprocess.Popen, port: int, session: str | None = None,
                 token: str | None = None):
        self.name, self.proc, self.port, self.session, self.token = name, proc, port, session, token
        self.body_path: pathlib.Path | None = None
        self.min_bytes = 0  # the checked response's body length: every answer is at least this long
        self.content_type: str | None = None


def _check_tool_call(t: Target, body: bytes, expected_text: str) -> None:
    """One real call of the exact body wrk sends, with the same headers: must be a full success."""
    client = McpClient(t.port, t.token)
    client.session = t.session
    try:
        status, headers, data = client.post_raw(body)
    finally:
        client.close()
    if status != 200:
        raise McpError(f"{t.name}: the benchmark request got HTTP {status}: {data[:300]!r}")
    result = response_result(headers.get("content-type", ""), data, REQUEST_ID, f"{t.name} get_ticket")
    if result.get("isError"):
        raise McpError(f"{t.name}: get_ticket answered isError: {result.get('content')}")
    text = tool_text(result)
    document = json.loads(text)
    # vibe-ensemble's own timestamps may move while it runs (its maintenance pass touches a waiting
    # task's `updated_at`); everything else must be the document the Python server serves.
    if _without_timestamps(document) != _without_timestamps(json.loads(expected_text)):
        raise McpError(f"{t.name}: get_ticket returned a different document ({len(text)} vs {len(expected_text)} chars)")
    if t.name == "python" and text != expected_text:
        raise McpError("python: get_ticket's text is not the exact text vibe-ensemble returned")
    if result.get("structuredContent") != document:
        raise McpError(f"{t.name}: structuredContent differs from the text content")
    t.min_bytes = len(data)
    t.content_type = headers.get("content-type")


def _check_echo(t: Target, body: bytes) -> None:
    client = McpClient(t.port)
    try:
        status, headers, data = client.post_raw(body)
    finally:
        client.close()
    if status != 200 or data != body or not headers.get("content-type", "").startswith("application/json"):
        raise McpError(f"echo: HTTP {status} {headers.get('content-type')}, {len(data)} bytes for {len(body)} sent")
    t.min_bytes = len(data)
    t.content_type = headers.get("content-type")


def _check(t: Target, body: bytes, expected_text: str) -> None:
    if t.proc.poll() is not None:
        raise RuntimeError(f"{t.name} exited with {t.proc.returncode}")
    if t.name == "echo":
        _check_echo(t, body)
    else:
        _check_tool_call(t, body, expected_text)


def _setup_vibe_ensemble(binary: str, tmp: pathlib.Path) -> tuple[Target, str, str]:
    """Starts vibe-ensemble, fills it (project, worker type, ticket, two reports); returns the target,
    the ticket id and the exact text of its get_ticket result."""
    port = free_port()
    data_dir = tmp / "vibe-data"
    project_dir = tmp / "project"
    project_dir.mkdir()
    proc = start_process([binary, "serve", "--port", port, "--data-dir", data_dir, "--no-auto-spawn",
                          "--log-level", "error"], log=tmp / "vibe-ensemble.log")
    token = wait_for_file(data_dir / "coordinator-token", proc)
    wait_for_port(port, proc)
    c = McpClient(port, token)
    try:
        c.initialize()
        c.call_tool("create_project", {"repository_name": "acme/shop", "path": str(project_dir)})
        c.call_tool("create_worker_type", {"project_id": "acme/shop", "worker_type": "coder",
                                           "system_prompt": "Write the code the ticket asks for."})
        created = c.call_tool("create_ticket", {
            "project_id": "acme/shop", "title": "Add a checkout page",
            "description": _text(1000, "The checkout page lists the cart, the address and the payment. "),
            "execution_plan": ["coder"]})
        sc = created.get("structuredContent") or {}
        ticket_id = sc.get("ticket_id") or (sc.get("ticket") or {}).get("id") or sc.get("id") or "SHOP-1"
        for i in range(2):
            c.call_tool("add_ticket_comment", {
                "ticket_id": ticket_id, "worker_type": "coder", "worker_id": "coordinator", "stage_number": 0,
                "content": _text(1000, f"Report {i + 1}: changed the handler, added tests, all green. ")})
        text = tool_text(c.call_tool("get_ticket", {"ticket_id": ticket_id}))
        json.loads(text)
        return Target("vibe-ensemble", proc, port, c.session, token), ticket_id, text
    except BaseException:
        stop_process(proc)
        raise
    finally:
        c.close()


def run(binary: str, quick: bool = False) -> dict[str, Any]:
    rounds = 1 if quick else 2
    duration = 3.0 if quick else 6.0
    warmup = 1.0 if quick else 2.0
    if not ECHO_BINARY.exists():
        raise RuntimeError(f"{ECHO_BINARY} is missing: cd Benchmarks/echo && swift build -c release")
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="vibe-bench-http-"))
    targets: dict[str, Target] = {}
    raw: dict[str, Any] = {"rounds": rounds, "duration_s": duration, "warmup_s": warmup,
                           "loadavg_at_start": os.getloadavg(), "tmp": str(tmp), "binary": binary}
    try:
        ve, ticket_id, text = _setup_vibe_ensemble(binary, tmp)
        targets["vibe-ensemble"] = ve
        ticket_file = tmp / "ticket.json"
        ticket_file.write_text(text)
        raw["ticket_id"], raw["ticket_chars"] = ticket_id, len(text)

        port = free_port()
        proc = start_process([_python(), REFERENCE_SERVER, port, ticket_file], log=tmp / "python.log")
        targets["python"] = Target("python", proc, port)
        wait_for_port(port, proc)
        c = McpClient(port)
        try:
            c.initialize()
            targets["python"].session = c.session
        finally:
            c.close()

        port = free_port()
        proc = start_process([ECHO_BINARY, "--port", port], log=tmp / "echo.log")
        targets["echo"] = Target("echo", proc, port)
        wait_for_port(port, proc)

        body = json.dumps({"jsonrpc": "2.0", "id": REQUEST_ID, "method": "tools/call",
                           "params": {"name": "get_ticket", "arguments": {"ticket_id": ticket_id}}},
                          separators=(",", ":")).encode()
        body_path = tmp / "body.json"
        body_path.write_bytes(body)
        for t in targets.values():
            t.body_path = body_path
            _check(t, body, text)
        raw["request_bytes"] = len(body)
        raw["response"] = {n: {"content_type": t.content_type, "body_bytes": t.min_bytes} for n, t in targets.items()}

        for t in targets.values():
            run_wrk(t.port, 8, warmup, body_path, t.session, t.token)
            _check(t, body, text)

        runs: list[dict[str, Any]] = []
        for r in range(rounds):
            for conns in CONNECTIONS:
                for name in SERVERS:
                    t = targets[name]
                    c0 = cpu_seconds(t.proc.pid)
                    w = run_wrk(t.port, conns, duration, body_path, t.session, t.token)
                    w["server_cpu_s"] = cpu_seconds(t.proc.pid) - c0
                    w["errors_total"] = _error_count(w, t.min_bytes)
                    if t.proc.poll() is not None:
                        raise RuntimeError(f"{name} exited with {t.proc.returncode} during the run")
                    runs.append({"round": r + 1, "server": name, **w})
                    print(f"  http round {r + 1} c={conns:<2} {name:<13} {w['rps']:>9.0f} req/s  "
                          f"p50 {w['p50_ms']:.3f} ms  p99 {w['p99_ms']:.3f} ms  errors {w['errors_total']}",
                          flush=True)
        for t in targets.values():
            _check(t, body, text)  # still answering correctly after the load
        raw["runs"] = runs
        raw["rss_mb"] = {n: rss_bytes(t.proc.pid) / 2**20 for n, t in targets.items()}
    finally:
        for t in targets.values():
            stop_process(t.proc)
    if not os.environ.get("VIBE_BENCH_KEEP"):  # kept on failure (logs, database), or when asked
        shutil.rmtree(tmp, ignore_errors=True)

    best: dict[str, dict[int, dict[str, Any]]] = {n: {} for n in SERVERS}
    errors: dict[str, int] = {n: 0 for n in SERVERS}
    cpu: dict[str, list[float]] = {n: [0.0, 0] for n in SERVERS}
    for w in runs:
        n, k = w["server"], w["connections"]
        errors[n] += w["errors_total"]
        cpu[n][0] += w["server_cpu_s"]
        cpu[n][1] += w["requests"]
        if k not in best[n] or w["rps"] > best[n][k]["rps"]:
            best[n][k] = w
    cpu_ms = {n: (1000 * s / q if q else None) for n, (s, q) in cpu.items()}
    raw["best"] = {n: {str(k): v for k, v in d.items()} for n, d in best.items()}
    raw["errors"] = errors
    raw["cpu_ms_per_request"] = cpu_ms

    ve_ok = errors["vibe-ensemble"] == 0
    py_ok, echo_ok = errors["python"] == 0, errors["echo"] == 0
    rows = []
    for k in CONNECTIONS:
        v, p, e = best["vibe-ensemble"][k], best["python"][k], best["echo"][k]
        at32 = k == 32
        rows.append(row(SECTION, f"get_ticket req/s, {k} conn: vs Python SDK", v["rps"], p["rps"],
                        goal="≥ 10×" if at32 else None,
                        met=(ve_ok and py_ok and v["rps"] >= 10 * p["rps"]) if at32 else None))
        rows.append(row(SECTION, f"get_ticket req/s, {k} conn: vs bare Hummingbird", v["rps"], e["rps"],
                        goal="≥ 0.3×" if at32 else None,
                        met=(ve_ok and echo_ok and v["rps"] >= 0.3 * e["rps"]) if at32 else None))
    v1, p1 = best["vibe-ensemble"][1], best["python"][1]
    rows.append(row(SECTION, "p50 ms, 1 conn (ref: Python SDK)", v1["p50_ms"], p1["p50_ms"],
                    goal="≤ 0.5 ms", met=ve_ok and v1["p50_ms"] <= 0.5))
    v32, p32 = best["vibe-ensemble"][32], best["python"][32]
    rows.append(row(SECTION, "p99 ms, 32 conn (ref: Python SDK)", v32["p99_ms"], p32["p99_ms"],
                    goal="< 5 ms", met=ve_ok and v32["p99_ms"] < 5))
    rows.append(row(SECTION, "server CPU ms per call (ref: Python SDK)", cpu_ms["vibe-ensemble"], cpu_ms["python"]))
    rows.append(row(SECTION, "server CPU ms per call (ref: bare Hummingbird)", cpu_ms["vibe-ensemble"], cpu_ms["echo"]))
    for name, label in (("vibe-ensemble", "vibe-ensemble"), ("python", "Python SDK"), ("echo", "bare Hummingbird")):
        rows.append(row(SECTION, f"wrk errors + non-2xx, {label}", errors[name], goal="0", met=errors[name] == 0))
    raw["rows"] = rows
    return raw
