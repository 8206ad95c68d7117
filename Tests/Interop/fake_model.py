"""A scripted stand-in for the Anthropic Messages API, so real `claude -p` workers run offline.

Claude Code honours ANTHROPIC_BASE_URL. Each POST /v1/messages carries the conversation so far;
the script looks at the worker's system prompt (worker id, queue) and the last tool result and
answers with the next tool call, streamed as the API streams it. The script is the well-behaved
worker loop (get_next_task → get_ticket → complete_ticket_stage → …) with optional misbehaviour
per worker type: send the ticket back once, hold it for attention once, quit before completing
once, or stall once; it can also call Claude Code's own tools (Bash, Read …) before completing.
`FakeModel.requests` keeps every request body, so a test can check what a worker sent the model.
"""

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SERVER = "vibe-ensemble"
# Claude Code's own tools are called by their bare name; every other tool is one of the server's.
BUILT_IN_TOOLS = {"Bash", "Read", "Write", "Edit", "Glob", "Grep"}


@dataclass
class Behaviour:
    """How the workers of one type misbehave (each misbehaviour happens once per ticket)."""

    send_back_once: bool = False      # answer prev_stage on the first visit of each ticket
    quit_once: bool = False           # end the turn after get_ticket, without completing
    stall_once: bool = False          # hang before completing, until released (the test kills the worker)
    malformed_once: bool = False      # first complete_ticket_stage call has wrong argument types
    needs_attention_once: bool = False  # answer needs_attention on the first visit of each ticket
    # Claude Code tools to call, (name, input) one after another, on the first visit of each ticket
    # before completing, e.g. (("Bash", {"command": "env > env.txt", "description": "Dump env"}),).
    tools_once: tuple[tuple[str, dict], ...] = ()
    # Tickets to declare (complete_ticket_stage's new_tickets) with the first completion of each ticket.
    new_tickets: tuple[dict, ...] = ()
    # Claude Code tools to call before completing, chosen per visit: tools(ticket_id, visit) gives the
    # (name, input) calls of this worker type's visit number `visit` (0 first) to the ticket.
    tools: object = None


@dataclass
class Script:
    behaviours: dict[str, Behaviour] = field(default_factory=dict)
    visits: dict[tuple[str, str], int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    # (monotonic time, worker id, tool) of every tool call the script made, for timing.
    tool_calls: list[tuple[float, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def once(self, kind: str, key: str) -> bool:
        """True the first time (kind, key) is asked."""
        return self.asked(kind, key) == 0

    def asked(self, kind: str, key: str) -> int:
        """How often (kind, key) was asked before."""
        with self.lock:
            count = self.visits.get((kind, key), 0)
            self.visits[(kind, key)] = count + 1
            return count


def _text(content) -> str:
    if isinstance(content, str):
        return content
    return "".join(block.get("text", "") for block in content if isinstance(block, dict))


def _system_text(body: dict) -> str:
    system = body.get("system", "")
    return system if isinstance(system, str) else _text(system)


def next_step(script: Script, body: dict) -> tuple[str, dict | None, str]:
    """The reply to a conversation: ("tool", input, name) or ("text", None, text)."""
    system = _system_text(body)
    worker = re.search(r"Worker ID: (\S+)", system)
    queue = re.search(r"Queue Name: (\S+)", system)
    kind = re.search(r"Worker Type: (\S+)", system)
    if not (worker and queue and kind):
        return ("text", None, "OK")
    worker_id, queue_name, worker_type = worker.group(1), queue.group(1), kind.group(1)
    behaviour = script.behaviours.get(worker_type, Behaviour())

    calls = {}
    claimed = None
    for message in body.get("messages", []):
        content = message.get("content")
        if not isinstance(content, list):
            continue
        for block in content:
            if block.get("type") == "tool_use":
                calls[block["id"]] = block["name"].rsplit("__", 1)[-1]
            elif block.get("type") == "tool_result" and calls.get(block.get("tool_use_id")) == "get_next_task":
                try:
                    task = json.loads(_text(block.get("content", ""))).get("task")
                except ValueError:
                    task = None
                claimed = task or claimed
    # Claude Code may append system reminders after the tool results; the turn is decided by the
    # newest message that is not one.
    last = next((m for m in reversed(body["messages"]) if m.get("role") != "system"), {})
    results = [b for b in last.get("content", []) if isinstance(b, dict) and b.get("type") == "tool_result"] \
        if isinstance(last.get("content"), list) else []
    if not results:
        return ("tool", {"queue_name": queue_name}, "get_next_task")
    result = results[-1]
    tool = calls.get(result.get("tool_use_id"), "")
    text = _text(result.get("content", ""))
    if tool == "get_next_task":
        try:
            answer = json.loads(text)
        except ValueError:
            return ("tool", {"queue_name": queue_name}, "get_next_task")
        if answer.get("queue_empty"):
            return ("text", None, "Queue empty; exiting.")
        return ("tool", {"ticket_id": answer["task"]["ticket_id"]}, "get_ticket")
    if tool == "get_ticket" and claimed:
        ticket = claimed["ticket_id"]
        script.asked("visit", f"{worker_type}:{ticket}")
        if behaviour.quit_once and script.once("quit", ticket):
            return ("text", None, "I stop here without completing.")
        return _work_on_stage(script, behaviour, claimed, worker_type, worker_id)
    if tool in BUILT_IN_TOOLS and claimed:
        return _work_on_stage(script, behaviour, claimed, worker_type, worker_id)
    if tool == "complete_ticket_stage" and result.get("is_error") and claimed:
        arguments = {"ticket_id": claimed["ticket_id"], "task_id": claimed["task_id"], "attempt": claimed["attempt"],
                     "report": f"{worker_type} report for {claimed['ticket_id']} stage {claimed['stage']} by {worker_id}"}
        return ("tool", arguments, "complete_ticket_stage")
    return ("tool", {"queue_name": queue_name}, "get_next_task")


def _work_on_stage(script: Script, behaviour: Behaviour, claimed: dict, worker_type: str, worker_id: str):
    """The next of the scripted Claude Code tool calls, then the complete_ticket_stage call ending the
    claimed task's stage (after a stall, if scripted)."""
    ticket = claimed["ticket_id"]
    if behaviour.tools is not None:
        with script.lock:
            visit = script.visits.get(("visit", f"{worker_type}:{ticket}"), 1) - 1
        calls = list(behaviour.tools(ticket, visit))
        made = script.asked("visit-tools", f"{worker_type}:{ticket}:{visit}")
        if made < len(calls):
            name, arguments = calls[made]
            return ("tool", arguments, name)
    made = script.asked("tools", ticket)
    if made < len(behaviour.tools_once):
        name, arguments = behaviour.tools_once[made]
        return ("tool", arguments, name)
    if behaviour.stall_once and script.once("stall", ticket):
        script.stalled.set()
        script.release.wait(timeout=120)
    outcome = "next_stage"
    if behaviour.send_back_once and script.once("send_back", ticket):
        outcome = "prev_stage"
    elif behaviour.needs_attention_once and script.once("attention", ticket):
        outcome = "needs_attention"
    if behaviour.malformed_once and script.once("malformed", ticket):
        return ("tool", {"ticket_id": ticket, "task_id": "not-a-number", "report": 7}, "complete_ticket_stage")
    arguments = {
        "ticket_id": ticket, "task_id": claimed["task_id"], "attempt": claimed["attempt"],
        "report": f"{worker_type} report for {ticket} stage {claimed['stage']} by {worker_id}",
        "outcome": outcome,
    }
    if behaviour.new_tickets and script.once("plan", ticket):
        arguments["new_tickets"] = list(behaviour.new_tickets)
    if outcome == "prev_stage":
        arguments["reason"] = "Needs rework: add tests."
    elif outcome == "needs_attention":
        arguments["reason"] = "Blocked: the coordinator must decide."
    return ("tool", arguments, "complete_ticket_stage")


def _sse(event: str, data: dict) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


class _QuietServer(ThreadingHTTPServer):
    """Workers killed mid-request close their connection; that is expected, not worth a traceback."""

    def handle_error(self, request, client_address):
        pass


class FakeModel:
    """The HTTP server; use as a context manager."""

    def __init__(self, script: Script | None = None):
        self.script = script or Script()
        self.counter = 0
        # Every body POSTed to /v1/messages (not count_tokens), in arrival order.
        self.requests: list[dict] = []
        model = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                self._json({})

            def do_HEAD(self):
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                if not self.path.startswith("/v1/messages") or "count_tokens" in self.path:
                    return self._json({"input_tokens": 1})
                with model.script.lock:
                    model.requests.append(body)
                try:
                    kind, arguments, value = next_step(model.script, body)
                except Exception as error:  # a script bug must show, not look like an API outage
                    import traceback
                    model.script.errors.append(traceback.format_exc())
                    raise
                if kind == "tool":
                    worker = re.search(r"Worker ID: (\S+)", _system_text(body))
                    with model.script.lock:
                        model.script.tool_calls.append((time.monotonic(), worker.group(1) if worker else "", value))
                self._stream(kind, arguments, value, body.get("model", "fake-model"))

            def _json(self, payload):
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, kind, arguments, value, model_name):
                model.counter += 1
                number = model.counter
                events = [_sse("message_start", {"type": "message_start", "message": {
                    "id": f"msg_{number}", "type": "message", "role": "assistant", "model": model_name,
                    "content": [], "stop_reason": None, "stop_sequence": None,
                    "usage": {"input_tokens": 10, "output_tokens": 1}}})]
                if kind == "tool":
                    name = value if value in BUILT_IN_TOOLS else f"mcp__{SERVER}__{value}"
                    block = {"type": "tool_use", "id": f"toolu_{number}", "name": name, "input": {}}
                    delta = {"type": "input_json_delta", "partial_json": json.dumps(arguments)}
                    stop = "tool_use"
                else:
                    block = {"type": "text", "text": ""}
                    delta = {"type": "text_delta", "text": value}
                    stop = "end_turn"
                events += [
                    _sse("content_block_start", {"type": "content_block_start", "index": 0, "content_block": block}),
                    _sse("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}),
                    _sse("content_block_stop", {"type": "content_block_stop", "index": 0}),
                    _sse("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                                           "usage": {"output_tokens": 5}}),
                    _sse("message_stop", {"type": "message_stop"}),
                ]
                data = b"".join(events)
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "FakeModel":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.script.release.set()
        self.server.shutdown()
        self.server.server_close()
