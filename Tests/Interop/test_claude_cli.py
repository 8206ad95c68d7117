"""The real Claude Code CLI (bundled in the claude-agent-sdk wheel) against the running server."""

import json
import subprocess
import threading


def test_claude_mcp_list_reports_connected(server, claude_binary, claude_env, tmp_path):
    workdir = tmp_path / "claude-project"
    workdir.mkdir()
    added = subprocess.run(
        [str(claude_binary), "mcp", "add", "--transport", "http", "vibe-ensemble", server.url],
        cwd=workdir, env=claude_env, capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    listed = subprocess.run(
        [str(claude_binary), "mcp", "list"], cwd=workdir, env=claude_env, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    line = next(line for line in listed.stdout.splitlines() if line.startswith("vibe-ensemble:"))
    assert "Connected" in line, listed.stdout


def test_claude_print_mode_sees_the_tools(server, claude_binary, claude_env, tmp_path):
    config = {"mcpServers": {"vibe-ensemble": {"type": "http", "url": server.url, "timeout": 600000}}}
    process = subprocess.Popen(
        [str(claude_binary), "-p", "List the projects.", "--output-format", "stream-json", "--verbose",
         "--mcp-config", json.dumps(config), "--strict-mcp-config"],
        cwd=tmp_path, env=claude_env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    watchdog = threading.Timer(90, process.kill)  # bounds the wait if no init line ever comes
    watchdog.start()
    try:
        init = None
        assert process.stdout
        for line in process.stdout:  # the init line comes before any model call
            event = json.loads(line)
            if event.get("type") == "system" and event.get("subtype") == "init":
                init = event
                break
        assert init is not None, process.stderr.read() if process.stderr else ""
        servers = {entry["name"]: entry["status"] for entry in init["mcp_servers"]}
        assert servers == {"vibe-ensemble": "connected"}
        assert "mcp__vibe-ensemble__create_ticket" in init["tools"]
        assert "mcp__vibe-ensemble__get_events" in init["tools"]
    finally:
        watchdog.cancel()
        process.kill()
        process.wait(timeout=30)


def test_setup_claude_code_connects_a_project(server, claude_binary, claude_env, tmp_path):
    from conftest import BINARY

    project = tmp_path / "coordinated"
    project.mkdir()
    setup = subprocess.run([str(BINARY), "setup-claude-code", "--project-dir", str(project), "--port", str(server.port)],
                           capture_output=True, text=True, timeout=60)
    assert setup.returncode == 0, setup.stderr
    assert "vibe-ensemble" in (project / "CLAUDE.md").read_text()

    process = subprocess.Popen(
        [str(claude_binary), "-p", "List the projects.", "--output-format", "stream-json", "--verbose"],
        cwd=project, env=claude_env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    watchdog = threading.Timer(90, process.kill)
    watchdog.start()
    try:
        init = None
        assert process.stdout
        for line in process.stdout:
            event = json.loads(line)
            if event.get("type") == "system" and event.get("subtype") == "init":
                init = event
                break
        assert init is not None
        servers = {entry["name"]: entry["status"] for entry in init["mcp_servers"]}
        assert servers.get("vibe-ensemble") == "connected", servers
    finally:
        watchdog.cancel()
        process.kill()
        process.wait(timeout=30)
