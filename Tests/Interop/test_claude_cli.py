"""The real Claude Code CLI (bundled in the claude-agent-sdk wheel) against the running server."""

import json
import subprocess
import threading

from conftest import BINARY, trust_project


def claude_init_event(claude_binary, arguments: list[str], cwd, env) -> dict:
    """The `system/init` line of `claude -p …` (printed before any model call); the process is then ended."""
    process = subprocess.Popen(
        [str(claude_binary), "-p", "List the projects.", "--output-format", "stream-json", "--verbose", *arguments],
        cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(90, process.kill)  # bounds the wait if no init line ever comes
    watchdog.start()
    try:
        assert process.stdout
        for line in process.stdout:
            event = json.loads(line)
            if event.get("type") == "system" and event.get("subtype") == "init":
                return event
        raise AssertionError(f"claude printed no init line: {process.stderr.read() if process.stderr else ''}")
    finally:
        watchdog.cancel()
        process.kill()
        process.wait(timeout=30)


def test_claude_mcp_list_reports_connected(server, claude_binary, claude_env, tmp_path):
    workdir = tmp_path / "claude-project"
    workdir.mkdir()
    added = subprocess.run(
        [str(claude_binary), "mcp", "add", "--transport", "http", "vibe-ensemble", server.url,
         "-H", f"Authorization: Bearer {server.token}"],
        cwd=workdir, env=claude_env, capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    listed = subprocess.run(
        [str(claude_binary), "mcp", "list"], cwd=workdir, env=claude_env, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    line = next(line for line in listed.stdout.splitlines() if line.startswith("vibe-ensemble:"))
    assert "Connected" in line, listed.stdout


def test_claude_print_mode_sees_the_tools(server, claude_binary, claude_env, tmp_path):
    config = {"mcpServers": {"vibe-ensemble": {"type": "http", "url": server.url, "timeout": 600000,
                                               "headers": server.auth_headers()}}}
    init = claude_init_event(claude_binary, ["--mcp-config", json.dumps(config), "--strict-mcp-config"],
                             tmp_path, claude_env)
    servers = {entry["name"]: entry["status"] for entry in init["mcp_servers"]}
    assert servers == {"vibe-ensemble": "connected"}
    assert "mcp__vibe-ensemble__create_ticket" in init["tools"]
    assert "mcp__vibe-ensemble__get_events" in init["tools"]


def test_setup_claude_code_connects_a_project(server, claude_binary, claude_env, tmp_path):
    project = tmp_path / "coordinated"
    project.mkdir()
    setup = subprocess.run([str(BINARY), "setup-claude-code", "--project-dir", str(project), "--port", str(server.port),
                            "--data-dir", str(server.data_dir)], capture_output=True, text=True, timeout=60)
    assert setup.returncode == 0, setup.stderr
    mcp_json = (project / ".mcp.json").read_text()
    assert server.token not in mcp_json  # Claude Code reads the token file when it connects
    entry = json.loads(mcp_json)["mcpServers"]["vibe-ensemble"]
    assert entry["url"] == server.url and entry["type"] == "http" and str(server.token_file) in entry["headersHelper"]
    assert not (project / "CLAUDE.md").exists()  # the guide comes from the server's instructions now

    trust_project(claude_env, project)
    init = claude_init_event(claude_binary, [], project, claude_env)
    servers = {entry["name"]: entry["status"] for entry in init["mcp_servers"]}
    assert servers.get("vibe-ensemble") == "connected", servers
    assert "mcp__vibe-ensemble__create_ticket" in init["tools"]
