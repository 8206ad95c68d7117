"""Shared helpers of the benchmark runner: ports, processes, /proc readings, a minimal raw MCP
client, and the one row shape every section returns.

Every section module exposes `run(binary: str, quick: bool) -> dict` returning at least
`{"rows": [row(...), ...]}` plus whatever raw numbers it wants kept in the JSON file.
"""
from __future__ import annotations

import http.client
import json
import os
import pathlib
import signal
import socket
import subprocess
import time
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[2]
BENCH = ROOT / "Benchmarks"

# --------------------------------------------------------------------------- rows

ROW_KEYS = ("section", "measure", "value", "reference", "ratio", "goal", "met")


def row(section: str, measure: str, value: float | int | None, reference: float | int | None = None,
        ratio: float | None = None, goal: str | None = None, met: bool | None = None) -> dict[str, Any]:
    """One line of the final table.

    value: what vibe-ensemble measured; reference: what it is compared with (None if nothing);
    ratio: value / reference unless the section says otherwise (None if not meaningful);
    goal: the goal in words ("≥ 10×", "≤ 0.5 ms"), None for an informative row;
    met: True/False against the goal, None for an informative row.
    """
    if ratio is None and value is not None and reference:
        ratio = value / reference
    return {"section": section, "measure": measure, "value": value, "reference": reference,
            "ratio": ratio, "goal": goal, "met": met}


def _fmt(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, bool):
        return "yes" if x else "NO"
    if isinstance(x, int):
        return f"{x:,}"
    if isinstance(x, float):
        a = abs(x)
        if a == 0:
            return "0"
        if a >= 1000:
            return f"{x:,.0f}"
        if a >= 100:
            return f"{x:.0f}"
        if a >= 10:
            return f"{x:.1f}"
        if a >= 1:
            return f"{x:.2f}"
        return f"{x:.3f}"
    return str(x)


def format_table(rows: list[dict[str, Any]]) -> str:
    """A plain-text table of rows; ratio printed as N.NN×, met as yes/NO (blank if no goal)."""
    head = ["section", "measure", "value", "reference", "ratio", "goal", "met"]
    body = []
    for r in rows:
        ratio = r.get("ratio")
        body.append([
            str(r.get("section", "")), str(r.get("measure", "")), _fmt(r.get("value")), _fmt(r.get("reference")),
            "" if ratio is None else f"{ratio:.3g}×", r.get("goal") or "", _fmt(r.get("met")),
        ])
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(head)]
    right = {2, 3, 4}

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    out = [line(head), line(["-" * w for w in widths])]
    out += [line(b) for b in body]
    return "\n".join(out)


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_process(args: list[str], *, log: pathlib.Path | None = None, cwd: str | None = None,
                  env: dict[str, str] | None = None) -> subprocess.Popen:
    """Starts a server in its own process group; its output goes to `log` (or nowhere)."""
    out = open(log, "ab") if log else subprocess.DEVNULL
    try:
        return subprocess.Popen([str(a) for a in args], stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                cwd=cwd, env=env, start_new_session=True)
    finally:
        if log:
            out.close()


def stop_process(proc: subprocess.Popen | None, timeout: float = 10) -> None:
    """SIGTERM to the process's own group, then SIGKILL after `timeout` seconds."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=timeout)


def wait_for_port(port: int, proc: subprocess.Popen | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process {proc.args[0]} exited with {proc.returncode} before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listened on 127.0.0.1:{port} within {timeout}s")


def wait_for_file(path: pathlib.Path, proc: subprocess.Popen | None = None, timeout: float = 30) -> str:
    """Waits until `path` exists with non-blank content and returns it stripped."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process {proc.args[0]} exited with {proc.returncode} before writing {path}")
        try:
            text = path.read_text().strip()
            if text:
                return text
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{path} did not appear within {timeout}s")


_CLK_TCK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (its threads included), from /proc/<pid>/stat."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _CLK_TCK


def rss_bytes(pid: int) -> int:
    """Resident set size of a process, from /proc/<pid>/stat."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[21]) * _PAGE


# --------------------------------------------------------------------------- MCP client

PROTOCOL_VERSION = "2025-11-25"


class McpError(RuntimeError):
    pass


def parse_mcp_body(content_type: str, data: bytes) -> list[dict[str, Any]]:
    """The JSON-RPC messages of a response: a JSON body, or the `data:` lines of an SSE stream."""
    if not data.strip():
        return []
    if "text/event-stream" in (content_type or ""):
        messages, pending = [], []
        for raw in data.decode().splitlines() + [""]:
            if raw.startswith("data:"):
                value = raw[5:]
                pending.append(value[1:] if value.startswith(" ") else value)
            elif raw == "" and pending:
                text = "\n".join(pending).strip()
                if text:  # an empty `data:` is a priming event (resumability), not a message
                    messages.append(json.loads(text))
                pending = []
        return messages
    value = json.loads(data)
    return value if isinstance(value, list) else [value]


class McpClient:
    """A minimal MCP client over one keep-alive http.client connection (Streamable HTTP, POST /mcp)."""

    def __init__(self, port: int, token: str | None = None, host: str = "127.0.0.1", timeout: float = 30):
        self.port, self.token = port, token
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.session: str | None = None
        self.next_id = 100
        self.last_content_type: str | None = None

    def headers(self) -> dict[str, str]:
        h = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        if self.session:
            h["Mcp-Session-Id"] = self.session
            h["MCP-Protocol-Version"] = PROTOCOL_VERSION
        return h

    def post_raw(self, body: bytes | str) -> tuple[int, dict[str, str], bytes]:
        """POSTs `body` as is; returns (status, lower-cased headers, body bytes)."""
        if isinstance(body, str):
            body = body.encode()
        self.conn.request("POST", "/mcp", body, self.headers())
        r = self.conn.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def rpc(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Sends one request and returns its `result`; raises McpError on an HTTP or JSON-RPC error."""
        self.next_id += 1
        msg: dict[str, Any] = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            msg["params"] = params
        status, headers, data = self.post_raw(json.dumps(msg))
        if status != 200:
            raise McpError(f"{method}: HTTP {status}: {data[:300]!r}")
        self.last_content_type = headers.get("content-type")
        if method == "initialize" and headers.get("mcp-session-id"):
            self.session = headers["mcp-session-id"]
        return response_result(headers.get("content-type", ""), data, self.next_id, method)

    def notify(self, method: str, params: dict[str, Any] | None = None) -> int:
        msg: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        status, _, data = self.post_raw(json.dumps(msg))
        if status not in (200, 202, 204):
            raise McpError(f"{method}: HTTP {status}: {data[:300]!r}")
        return status

    def initialize(self) -> dict[str, Any]:
        result = self.rpc("initialize", {"protocolVersion": PROTOCOL_VERSION, "capabilities": {},
                                         "clientInfo": {"name": "vibe-bench", "version": "1"}})
        self.notify("notifications/initialized")
        return result

    def call_tool(self, name: str, arguments: dict[str, Any], *, check: bool = True) -> dict[str, Any]:
        """The tool's result (`content`, `structuredContent`, `isError`); raises if `isError` and `check`."""
        result = self.rpc("tools/call", {"name": name, "arguments": arguments})
        if check and result.get("isError"):
            raise McpError(f"{name}: {result.get('content')}")
        return result

    def close(self) -> None:
        self.conn.close()


def response_result(content_type: str, data: bytes, request_id: Any, what: str = "request") -> dict[str, Any]:
    """The `result` of the response to `request_id` in a body; raises McpError on a JSON-RPC error."""
    for m in parse_mcp_body(content_type, data):
        if m.get("id") == request_id:
            if "error" in m:
                raise McpError(f"{what}: {m['error']}")
            return m["result"]
    raise McpError(f"{what}: no response with id {request_id} in {data[:300]!r}")


def tool_text(result: dict[str, Any]) -> str:
    """The text of a tool result's single text content block."""
    texts = [c["text"] for c in result.get("content", []) if c.get("type") == "text"]
    if len(texts) != 1:
        raise McpError(f"expected one text content block, got {result.get('content')!r}")
    return texts[0]


def main(run) -> None:
    """Runs one section on its own: `python -m bench.NAME [BINARY] [--quick]`; prints raw results and rows."""
    import json
    import sys
    arguments = [argument for argument in sys.argv[1:] if argument != "--quick"]
    result = run(arguments[0] if arguments else "/tmp/ve-bin/vibe-ensemble", "--quick" in sys.argv)
    print(json.dumps(result["raw"], indent=1, default=str))
    print(format_table(result["rows"]))
