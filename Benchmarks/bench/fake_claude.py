#!/usr/bin/env python3
"""A fast stand-in for `claude -p` that works a vibe-ensemble queue without a model.

The server starts it exactly as it starts Claude Code (`serve --claude-path fake_claude.py`):
  -p <task prompt> --append-system-prompt-file <file> --output-format stream-json --verbose
  --session-id <uuid> --permission-mode <mode> --mcp-config <json> --strict-mcp-config
  [--settings <json>] [--disallowedTools …] --allowedTools …
It reads the MCP URL and the `headersHelper` (which prints the worker's bearer-token headers) from
`--mcp-config`, its queue from the prompts, opens one MCP session over one keep-alive
http.client connection and loops as a worker does: get_next_task → get_ticket →
complete_ticket_stage with a short report, until the queue is empty; then it prints the
stream-json `result` line the supervisor reads and exits 0.

Only the standard library. Settings come from the environment (the server passes its own
environment to workers, minus VIBE_ENSEMBLE_*):
  FAKE_CLAUDE_LINGER   seconds to keep asking an empty queue (backing off from 10 to 200 ms)
                       before exiting (default 0: exit at once, as Claude Code does); a short
                       linger spares a respawn per ticket when tickets arrive one by one.
  FAKE_CLAUDE_STATS    a file to which each run appends one JSON line: worker, cycles, calls,
                       errors (every tool result with isError, with its text), seconds.
  FAKE_CLAUDE_WORK     seconds each stage "works" (sleeps) between get_ticket and
                       complete_ticket_stage, holding its claim (default 0); with
  FAKE_CLAUDE_WORK_TYPES  only for worker types whose name starts with this prefix, and with
  FAKE_CLAUDE_GATE     a path: the work ends as soon as that file exists (FAKE_CLAUDE_WORK is
                       then the longest wait), so a benchmark can hold many claims at once.
  FAKE_CLAUDE_STREAM   "tools" (default): one stream-json `assistant` tool_use line per tool call,
                       as Claude Code prints; "quiet": only the init and result lines.
"""

import http.client
import json
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.parse
import uuid

PROTOCOL = "2025-06-18"
TIMEOUT = 120


def option(argv, flag, default=None):
    return argv[argv.index(flag) + 1] if flag in argv[:-1] else default


def emit(line: dict) -> None:
    sys.stdout.write(json.dumps(line, separators=(",", ":")) + "\n")
    sys.stdout.flush()


class Session:
    """One MCP session on one keep-alive connection; answers are JSON or one SSE message."""

    def __init__(self, url: str, headers: dict):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = parsed.hostname, parsed.port or 80, parsed.path or "/mcp"
        self.headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
                        **headers}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        self.next_id = 1
        self.session_id = None

    def post(self, message: dict):
        body = json.dumps(message, separators=(",", ":"))
        headers = dict(self.headers)
        if self.session_id:
            headers["Mcp-Session-Id"] = self.session_id
        for attempt in (1, 2):
            try:
                self.connection.request("POST", self.path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.HTTPException, OSError):
                # The server closed an idle keep-alive connection: one fresh connection, once.
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
                if attempt == 2:
                    raise
        if response.status >= 400:
            raise RuntimeError(f"HTTP {response.status}: {data[:300]!r}")
        return response, data

    @staticmethod
    def message(data: bytes) -> dict:
        text = data.decode()
        if text.startswith(("id:", "event:", "data:", ":")):
            for line in text.splitlines():
                if line.startswith("data: {"):
                    return json.loads(line[6:])
            raise RuntimeError(f"an SSE answer without a message: {text[:200]!r}")
        return json.loads(text)

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        response, data = self.post({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        if method == "initialize":
            self.session_id = response.getheader("Mcp-Session-Id")
        answer = self.message(data)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]

    def open(self) -> None:
        self.request("initialize", {"protocolVersion": PROTOCOL, "capabilities": {},
                                    "clientInfo": {"name": "fake-claude", "version": "1"}})
        self.post({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def close(self) -> None:
        try:
            if self.session_id:
                self.connection.request("DELETE", self.path, headers={**self.headers, "Mcp-Session-Id": self.session_id})
                self.connection.getresponse().read()
        except Exception:  # noqa: BLE001 — leaving anyway
            pass
        self.connection.close()


def headers_from(server: dict) -> dict:
    headers = dict(server.get("headers") or {})
    helper = server.get("headersHelper")
    if helper:
        words = shlex.split(helper)
        if len(words) == 2 and words[0] == "cat":
            with open(words[1]) as file:
                text = file.read()
        else:
            text = subprocess.run(helper, shell=True, check=True, capture_output=True, text=True).stdout
        headers.update(json.loads(text))
    return headers


def queue_of(argv) -> str:
    texts = [option(argv, "-p", "")]
    prompt_file = option(argv, "--append-system-prompt-file")
    if prompt_file:
        with open(prompt_file) as file:
            texts.append(file.read())
    texts.append(option(argv, "--append-system-prompt", ""))
    for text in texts:
        found = re.search(r'queue_name: "([^"]+)"', text) or re.search(r"Queue Name: (\S+)", text)
        if found:
            return found.group(1)
    raise SystemExit("fake_claude: no queue name in the prompts")


def main(argv) -> int:
    began = time.monotonic()
    config = json.loads(option(argv, "--mcp-config"))
    name, server = next(iter(config["mcpServers"].items()))
    queue = queue_of(argv)
    worker = os.environ.get("VIBE_ENSEMBLE_WORKER_ID", queue.replace("queue_", "worker_", 1))
    session_id = option(argv, "--session-id") or str(uuid.uuid4())
    linger = float(os.environ.get("FAKE_CLAUDE_LINGER", "0"))
    work = float(os.environ.get("FAKE_CLAUDE_WORK", "0"))
    work_types = os.environ.get("FAKE_CLAUDE_WORK_TYPES", "")
    gate = os.environ.get("FAKE_CLAUDE_GATE")
    stream_tools = os.environ.get("FAKE_CLAUDE_STREAM", "tools") != "quiet"
    session = Session(server["url"], headers_from(server))
    session.open()
    emit({"type": "system", "subtype": "init", "session_id": session_id, "cwd": os.getcwd(),
          "tools": [], "mcp_servers": [{"name": name, "status": "connected"}], "model": "fake"})
    calls = cycles = 0
    errors = []
    # Seconds per tool call and asleep on an empty queue, for the benchmark's breakdown of a cycle.
    latencies: dict[str, list[float]] = {}
    idle = 0.0

    def call(tool: str, arguments: dict) -> dict:
        nonlocal calls
        calls += 1
        if stream_tools:
            emit({"type": "assistant", "session_id": session_id, "message": {"role": "assistant", "content": [
                {"type": "tool_use", "id": f"toolu_{calls}", "name": f"mcp__{name}__{tool}", "input": arguments}]}})
        began_call = time.perf_counter()
        try:
            result = session.request("tools/call", {"name": tool, "arguments": arguments})
            latencies.setdefault(tool, []).append(time.perf_counter() - began_call)
        except Exception as error:  # noqa: BLE001 — an HTTP or protocol failure counts as an error
            errors.append({"tool": tool, "text": f"{type(error).__name__}: {error}"[:500]})
            sys.stderr.write(f"fake_claude {worker}: {tool} failed: {error}\n")
            return {}
        if result.get("isError"):
            text = "".join(block.get("text", "") for block in result.get("content", []))
            errors.append({"tool": tool, "text": text[:500]})
            sys.stderr.write(f"fake_claude {worker}: {tool} failed: {text[:500]}\n")
            return {}
        return result.get("structuredContent") or {}

    empty_since, empty_polls = None, 0
    try:
        while True:
            claim = call("get_next_task", {"queue_name": queue})
            task = claim.get("task")
            if not task:
                if not claim or claim.get("queue_empty") is False:
                    break  # an error: the queue cannot be read
                now = time.monotonic()
                empty_since = empty_since or now
                if now - empty_since >= linger:
                    break
                # Backing off (10 ms doubling to 200 ms): each empty get_next_task is a write
                # transaction in the server, which the busy workers would have to wait for.
                pause = min(0.2, 0.01 * 2 ** empty_polls, max(0.0, linger - (now - empty_since)))
                time.sleep(pause)
                idle += pause
                empty_polls += 1
                continue
            empty_since, empty_polls = None, 0
            call("get_ticket", {"ticket_id": task["ticket_id"]})
            if work > 0 and str(task.get("worker_type", "")).startswith(work_types):
                until = time.monotonic() + work
                while time.monotonic() < until and not (gate and os.path.exists(gate)):
                    time.sleep(0.05 if gate else until - time.monotonic())
            done = call("complete_ticket_stage", {
                "ticket_id": task["ticket_id"], "task_id": task["task_id"], "attempt": task["attempt"],
                "report": f"Stage {task['stage']} ({task.get('worker_type', '')}) done by {worker}: nothing to change."})
            if done:
                cycles += 1
            else:
                break  # the claim is gone; let the supervisor decide
    finally:
        session.close()
    seconds = time.monotonic() - began
    stats = os.environ.get("FAKE_CLAUDE_STATS")
    if stats:
        line = json.dumps({"worker": worker, "cycles": cycles, "calls": calls, "errors": errors,
                           "seconds": round(seconds, 3), "idle_seconds": round(idle, 3),
                           "latencies": {tool: [round(value, 6) for value in values]
                                         for tool, values in latencies.items()}}) + "\n"
        descriptor = os.open(stats, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line.encode())
        finally:
            os.close(descriptor)
    emit({"type": "result", "subtype": "error_during_execution" if errors else "success",
          "is_error": bool(errors), "duration_ms": int(seconds * 1000), "num_turns": calls,
          "result": f"{cycles} stages done", "session_id": session_id, "total_cost_usd": 0,
          "usage": {"input_tokens": 0, "output_tokens": 0}, "permission_denials": []})
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
