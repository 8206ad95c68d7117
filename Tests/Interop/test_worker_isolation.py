"""What a real `claude -p` worker sees: its own guide and the project's CLAUDE.md, never the
coordinator's guide, and no token in the environment of the commands its tools run.

The fake model keeps every request body Claude Code sent it, so the tests read exactly what reached
the model: the top-level `system` blocks and every `messages` entry (Claude Code 2.1 puts the MCP
servers' instructions into a `role: "system"` entry and the cwd's CLAUDE.md into the first user
message)."""

import json
import pathlib
import re
import stat
import subprocess

from conftest import BINARY, bearer, trust_project
from fake_model import Behaviour, FakeModel, Script
from wire import INITIALIZE, MCP_HEADERS, request
from workers import run_coordinator, spawned_pids

PROJECT_RULE = "PROJECT-RULE: build with make, never with cmake."
TYPE_PROMPT = "You are the coder. TYPE-PROMPT-MARKER: keep every change small."
# Two phrases of the coordinator's guide (Sources/EnsembleServer/MCP/CoordinatorInstructions.swift).
COORDINATOR_GUIDE = ("You are the coordinator of vibe-ensemble",
                     "Keep your own context clean: delegate focused work to workers")
# The worker's MCP instructions (Sources/EnsembleServer/MCP/WorkerInstructions.swift).
WORKER_GUIDE = "You are a vibe-ensemble worker."
CLAUDE_TIMEOUT = 120


def strings(value) -> list[str]:
    """Every string inside a JSON value (text blocks, tool inputs and results, reminders …)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return []


def sent_text(body: dict) -> str:
    """All text of a request's `system` blocks and `messages` entries."""
    return "\n".join(strings(body.get("system", "")) + strings(body.get("messages", [])))


def mcp_instructions(body: dict) -> str:
    """The text of the `role: "system"` messages, where Claude Code puts MCP server instructions."""
    return "\n".join(text for message in body.get("messages", []) if message.get("role") == "system"
                     for text in strings(message.get("content")))


def set_up_coordinated_project(project: pathlib.Path, server, claude_env: dict[str, str]) -> None:
    """A project with its own CLAUDE.md, connected to `server` by the real setup-claude-code and
    trusted (with its .mcp.json server approved) in the temp HOME, as a coordinator's project is."""
    (project / "CLAUDE.md").write_text(f"# Shop\n\n{PROJECT_RULE}\n")
    setup = subprocess.run([str(BINARY), "setup-claude-code", "--project-dir", str(project),
                            "--port", str(server.port), "--data-dir", str(server.data_dir)],
                           capture_output=True, text=True, timeout=60)
    assert setup.returncode == 0, setup.stderr
    assert (project / "CLAUDE.md").read_text() == f"# Shop\n\n{PROJECT_RULE}\n"  # setup leaves it alone
    assert (project / ".mcp.json").exists()
    trust_project(claude_env, project)


def test_a_worker_reads_its_own_guide_and_the_projects_claude_md_never_the_coordinators(
        worker_server, project_dir, claude_env):
    server, model = worker_server()
    # The worker runs in a directory whose .mcp.json would connect it as the coordinator, were it read.
    set_up_coordinated_project(project_dir, server, claude_env)

    async def body(coordinator):
        await coordinator.call("create_project", {"repository_name": "acme/shop", "path": str(project_dir)})
        await coordinator.call("create_worker_type", {
            "project_id": "acme/shop", "worker_type": "coder", "system_prompt": TYPE_PROMPT})
        await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "Small change", "description": "d", "execution_plan": ["coder"]})
        await coordinator.wait_until(lambda: coordinator.tickets_closed(1), timeout=120)
        await coordinator.wait_until(coordinator.workers_settled, timeout=60)

    run_coordinator(server, body)
    assert not model.script.errors, model.script.errors
    requests = list(model.requests)
    assert requests, "the worker sent the model nothing"
    for request in requests:
        assert "Worker ID: worker_coder_1" in "\n".join(strings(request.get("system", "")))
    first = requests[0]
    # The project's CLAUDE.md, as Claude Code loads it, in the first user message.
    assert f"Contents of {project_dir}/CLAUDE.md" in sent_text(first) and PROJECT_RULE in sent_text(first)
    system = "\n".join(strings(first.get("system", "")))  # --append-system-prompt-file
    assert TYPE_PROMPT in system and "WORKER CONFIGURATION" in system and "Queue Name: queue_coder_1" in system
    # The server's instructions for this session are the worker's guide.
    assert f"## vibe-ensemble\n{WORKER_GUIDE}" in mcp_instructions(first)
    for request in requests:
        # Nowhere in the request, tool descriptions included.
        whole = "\n".join(strings(request))
        for phrase in COORDINATOR_GUIDE:
            assert phrase not in whole, f"the worker sent the coordinator's guide ({phrase!r}) to the model"


def test_a_coordinator_claude_in_the_same_project_gets_the_coordinators_guide(
        server, project_dir, claude_binary, claude_env):
    """The counterpart: the same setup does deliver the guide, so its absence above means something."""
    set_up_coordinated_project(project_dir, server, claude_env)
    with FakeModel() as model:
        env = {**claude_env, "ANTHROPIC_BASE_URL": model.url}
        run = subprocess.run(
            [str(claude_binary), "-p", "List the projects.", "--output-format", "stream-json", "--verbose"],
            cwd=project_dir, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=CLAUDE_TIMEOUT)
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    init = next(line for line in lines if line.get("type") == "system" and line.get("subtype") == "init")
    assert {entry["name"]: entry["status"] for entry in init["mcp_servers"]}.get("vibe-ensemble") == "connected"
    result = next(line for line in lines if line.get("type") == "result")
    assert result["is_error"] is False, result
    requests = list(model.requests)
    assert requests
    assert f"## vibe-ensemble\n{COORDINATOR_GUIDE[0]}" in mcp_instructions(requests[0])
    assert all(phrase in mcp_instructions(requests[0]) for phrase in COORDINATOR_GUIDE)
    assert PROJECT_RULE in sent_text(requests[0])
    assert not any(WORKER_GUIDE in "\n".join(strings(request)) for request in requests)


# Prints the environment of this shell and of each of its ancestors, at most 32 levels up.
ANCESTRY_PROBE = """pid=$$
level=0
while [ "$pid" -gt 1 ] && [ "$level" -lt 32 ]; do
  echo "== pid $pid $(cat /proc/$pid/comm)"
  tr '\\0' '\\n' < /proc/$pid/environ
  pid=$(awk '/^PPid:/ {print $2}' /proc/$pid/status)
  level=$((level + 1))
done
"""


def environments(probe_output: str) -> dict[int, tuple[str, list[str]]]:
    """The probe's sections: pid → (command name, environment lines)."""
    sections = {}
    for section in probe_output.split("== pid ")[1:]:
        head, *lines = section.splitlines()
        pid, _, name = head.partition(" ")
        sections[int(pid)] = (name, lines)
    return sections


def initialize_status(server, token: str) -> int:
    """The status of an initialize sent with `token`."""
    response, _ = request(server, body=INITIALIZE, headers={**MCP_HEADERS, **bearer(token)}, authorized=False)
    return response.status


def tool_results(requests: list[dict], name: str) -> list[dict]:
    """The results Claude Code sent back for its calls of the tool `name`, in order."""
    calls = {block["id"] for request in requests for message in request.get("messages", [])
             if isinstance(message.get("content"), list)
             for block in message["content"] if block.get("type") == "tool_use" and block.get("name") == name}
    results = {}
    for request in requests:
        for message in request.get("messages", []):
            for block in message.get("content") if isinstance(message.get("content"), list) else []:
                if block.get("type") == "tool_result" and block.get("tool_use_id") in calls:
                    results[block["tool_use_id"]] = block
    return [results[key] for key in sorted(results, key=lambda key: int(key.rsplit("_", 1)[1]))]


def test_the_commands_a_worker_runs_do_not_see_its_token(worker_server, project_dir):
    """A worker's Bash command inherits no token: it reaches Claude Code only through the headersHelper
    reading <data dir>/runs/<worker>/headers.json, which the worker's settings deny its tools.

    Those deny rules are no wall against a hostile worker: Claude Code refuses the Read tool and a
    Bash command that names the path, but a command that hides the path (say, decodes it from
    base64) still reads the file, since the worker runs as the same user as the server. The
    README's "trust boundary" says so (a worker type with sandbox: true is the remedy)."""
    (project_dir / "probe.sh").write_text(ANCESTRY_PROBE)
    command = f"env > {project_dir}/bash-env.txt && sh {project_dir}/probe.sh > {project_dir}/ancestry.txt 2>&1"
    script = Script()
    server, model = worker_server(script)
    run_dir = server.data_dir / "runs" / "worker_coder_1"
    headers = run_dir / "headers.json"
    script.behaviours["coder"] = Behaviour(stall_once=True, tools_once=(
        ("Bash", {"command": command, "description": "Record the environment"}),
        ("Read", {"file_path": str(headers)}),
        ("Bash", {"command": f"cat {headers}", "description": "Print the headers file"}),
    ))
    seen = {}

    async def body(coordinator):
        await coordinator.set_up_project(project_dir, types=("coder",))
        await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "Probe", "description": "d", "execution_plan": ["coder"]})
        # The worker ran its tools and now waits for the model's next answer: its run is live.
        assert script.stalled.wait(timeout=60), "the coder never ran its tools"
        assert stat.S_IMODE(headers.stat().st_mode) == 0o600
        token = json.loads(headers.read_text())["Authorization"].removeprefix("Bearer ")
        assert re.fullmatch(r"[0-9a-f]{64}", token)
        assert initialize_status(server, token) == 200  # it is the worker's live token
        pid = (await coordinator.call("get_worker_status", {"worker_id": "worker_coder_1"}))["worker"]["process"]["pid"]
        seen.update(token=token, pid=pid,
                    environ=pathlib.Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace"),
                    cmdline=pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"))
        script.release.set()
        await coordinator.wait_until(lambda: coordinator.tickets_closed(1), timeout=120)
        await coordinator.wait_until(coordinator.workers_settled, timeout=60)
        events = await coordinator.drain_events()
        assert spawned_pids(events) == [pid]
        details = await coordinator.call("get_ticket", {"ticket_id": "SHOP-1"})
        assert details["ticket"]["resolution"] == "completed"  # the stage finished normally after the command

    run_coordinator(server, body)
    assert not script.errors, script.errors
    token, pid = seen["token"], seen["pid"]
    # Claude Code itself has the token in neither its environment nor its command line …
    assert "VIBE_ENSEMBLE_WORKER_ID=worker_coder_1" in seen["environ"].split("\0")
    assert token not in seen["environ"] and token not in seen["cmdline"]
    assert "headersHelper" in seen["cmdline"]  # … its MCP config names the file instead
    # … and neither has the command its Bash tool ran, nor any process between that command and init.
    bash_env = (project_dir / "bash-env.txt").read_text()
    assert "VIBE_ENSEMBLE_WORKER_ID=worker_coder_1" in bash_env.splitlines()
    assert token not in bash_env and server.token not in bash_env
    ours = [line.split("=", 1)[0] for line in bash_env.splitlines() if line.startswith("VIBE_ENSEMBLE_")]
    assert not [name for name in ours if "TOKEN" in name], ours  # no VIBE_ENSEMBLE_WORKER_TOKEN any more
    assert not re.search(r"\b[0-9a-f]{64}\b", bash_env), "a 64-hex-digit value is in the command's environment"
    ancestry = environments((project_dir / "ancestry.txt").read_text())
    worker_tree = {p for p, (_, lines) in ancestry.items() if "VIBE_ENSEMBLE_WORKER_ID=worker_coder_1" in lines}
    assert pid in worker_tree and len(worker_tree) >= 2, ancestry  # the probe, the Bash tool's shell, claude
    assert server.process.pid in ancestry and server.process.pid not in worker_tree  # the walk went past claude
    assert all(token not in "\n".join(lines) for _, lines in ancestry.values())
    # The worker's tools were refused the headers file, and the token never reached the model.
    (probe, cat), read = tool_results(model.requests, "Bash"), tool_results(model.requests, "Read")
    assert not probe.get("is_error"), probe
    assert len(read) == 1 and read[0]["is_error"] and "denied" in json.dumps(read[0]), read
    assert cat["is_error"] and "denied" in json.dumps(cat), cat
    assert token not in json.dumps(model.requests)
    # The run's files went with the run, and so did the token.
    assert not run_dir.exists()
    assert initialize_status(server, token) == 401
