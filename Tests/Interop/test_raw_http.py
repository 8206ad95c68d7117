"""Status codes, headers and bodies checked on the wire, plus restarts and start-up errors."""

import http.client
import json
import signal
import subprocess

import pytest
from conftest import BINARY, free_port, have_curl
from wire import INITIALIZE, MCP_HEADERS, open_session, request, sse_message


@pytest.mark.skipif(not have_curl(), reason="curl is not installed")
def test_the_seeds_curl_commands_work_verbatim(start_server, project_dir, tmp_path):
    """The seed's token-less curl commands: verbatim against --no-auth, refused (401) by default."""
    server = start_server(extra=("--no-auto-spawn", "--no-auth"))
    guarded = start_server(database=tmp_path / "guarded" / "ensemble.db", extra=("--no-auto-spawn",))

    def curl(body: str, port: int = server.port) -> dict:
        output = subprocess.run(
            ["curl", "-s", "-X", "POST", f"http://localhost:{port}/mcp",
             "-H", "Content-Type: application/json", "-d", body],
            capture_output=True, text=True, timeout=30, check=True).stdout
        return json.loads(output)

    refused = curl('{"jsonrpc":"2.0","id":1,"method":"list_tools"}', port=guarded.port)
    assert refused["error"]["code"] == -32600 and "bearer token" in refused["error"]["message"], refused

    listed = curl('{"jsonrpc":"2.0","id":1,"method":"list_tools"}')
    assert listed["id"] == 1 and len(listed["result"]["tools"]) == 32
    created = curl(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "call_tool", "params": {
        "name": "create_project", "arguments": {"repository_name": "test/project", "path": str(project_dir)}}}))
    assert created["result"]["structuredContent"]["repository_name"] == "test/project"
    projects = curl('{"jsonrpc":"2.0","id":3,"method":"call_tool","params":{"name":"list_projects"}}')
    assert projects["result"]["structuredContent"]["count"] == 1
    queues = curl('{"jsonrpc":"2.0","id":1,"method":"call_tool","params":{"name":"list_queues"}}')
    assert queues["jsonrpc"] == "2.0" and queues["id"] == 1
    assert queues["result"]["structuredContent"] == {"queues": [], "backlog": []}


def test_foreign_origin_and_host_are_forbidden(server):
    response, body = request(server, body=INITIALIZE, headers={**MCP_HEADERS, "Origin": "http://evil.example"})
    assert response.status == 403
    assert json.loads(body)["error"]["code"] == -32600
    response, _ = request(server, body=INITIALIZE, headers={**MCP_HEADERS, "Host": "evil.example:80"})
    assert response.status == 403
    response, _ = request(server, body=INITIALIZE, headers={**MCP_HEADERS, "Origin": f"http://localhost:{server.port}"})
    assert response.status == 200


def test_unknown_session_batches_and_malformed_json_are_rejected(server):
    response, _ = request(server, body={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                          headers={**MCP_HEADERS, "Mcp-Session-Id": "no-such-session"})
    assert response.status == 404
    response, body = request(server, body=[INITIALIZE], headers=MCP_HEADERS)
    assert response.status == 400 and json.loads(body)["error"]["code"] == -32600
    response, body = request(server, body='{"jsonrpc": "2.0", "id": 1,', headers=MCP_HEADERS)
    assert response.status == 400 and json.loads(body)["error"]["code"] == -32700
    response, _ = request(server, body={"jsonrpc": "2.0", "id": 1, "method": "server/discover"}, headers=MCP_HEADERS)
    assert 400 <= response.status < 500


def test_unknown_tool_in_a_session_is_a_json_rpc_error(server):
    session = open_session(server)
    response, body = request(server, body={"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                                           "params": {"name": "launch_rockets", "arguments": {}}},
                             headers={**MCP_HEADERS, "Mcp-Session-Id": session})
    assert response.status == 200
    assert sse_message(body)["error"]["code"] == -32602


def test_data_survives_a_restart_on_the_same_database(start_server, tmp_path, project_dir):
    database = tmp_path / "persist" / "ensemble.db"
    first = start_server(database=database, extra=("--no-auto-spawn",))
    session = open_session(first)
    headers = {**MCP_HEADERS, "Mcp-Session-Id": session}
    calls = [
        ("create_project", {"repository_name": "acme/shop", "path": str(project_dir)}),
        ("create_worker_type", {"project_id": "acme/shop", "worker_type": "coder", "system_prompt": "Code."}),
        ("create_ticket", {"project_id": "acme/shop", "title": "t", "description": "d", "execution_plan": ["coder"]}),
        ("add_ticket_comment", {"ticket_id": "SHOP-1", "worker_type": "coder", "worker_id": "coordinator",
                                "stage_number": 0, "content": "Remember me."}),
    ]
    for index, (name, arguments) in enumerate(calls):
        response, body = request(first, body={"jsonrpc": "2.0", "id": 10 + index, "method": "tools/call",
                                              "params": {"name": name, "arguments": arguments}}, headers=headers)
        assert not sse_message(body)["result"].get("isError"), body
    assert first.stop() == 0

    second = start_server(database=database, port=first.port, extra=("--no-auto-spawn",))
    assert second.token == first.token  # the token file made at first start is kept
    response, body = request(second, body={"jsonrpc": "2.0", "id": 1, "method": "call_tool",
                                           "params": {"name": "get_ticket", "arguments": {"ticket_id": "SHOP-1"}}})
    details = json.loads(body)["result"]["structuredContent"]
    assert details["comments"][0]["content"] == "Remember me."
    assert details["ticket"]["execution_plan"] == ["coder"]
    response, body = request(second, method="GET", path="/health", headers={})
    health = json.loads(body)
    assert health["status"] == "ok" and health["database"]["projects"] == 1
    assert health["database"]["unprocessed_events"] == 2  # ticket_created, ticket_waiting_for_worker


def test_sigterm_with_an_open_sse_stream_shuts_down_cleanly(server):
    session = open_session(server)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/mcp", headers={"Accept": "text/event-stream", "Mcp-Session-Id": session,
                                               **server.auth_headers()})
    stream = connection.getresponse()
    assert stream.status == 200
    assert server.stop(signal.SIGTERM, timeout=20) == 0
    server.wait_for_line("vibe-ensemble stopped", timeout=5)
    connection.close()


def test_startup_errors_are_one_clear_line(server, tmp_path):
    taken = subprocess.run([str(BINARY), "serve", "--port", str(server.port), "--database-path",
                            str(tmp_path / "other.db"), "--data-dir", str(server.data_dir)],
                           capture_output=True, text=True, timeout=60)
    assert taken.returncode != 0
    assert "already in use" in taken.stderr.strip().splitlines()[-1]

    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    # Info lines (the coordinator token) come first; at --log-level warning the error is all there is.
    unwritable = subprocess.run([str(BINARY), "serve", "--port", str(free_port()), "--database-path",
                                 str(blocker / "db" / "ensemble.db"), "--data-dir", str(tmp_path / "unwritable"),
                                 "--log-level", "warning"],
                                capture_output=True, text=True, timeout=60)
    assert unwritable.returncode != 0
    assert unwritable.stderr.strip().splitlines() == [unwritable.stderr.strip()]
    assert "Cannot open the database" in unwritable.stderr

    bad_flag = subprocess.run([str(BINARY), "serve", "--prot", "1"], capture_output=True, text=True, timeout=60)
    assert bad_flag.returncode != 0
    assert "Unknown option '--prot'" in bad_flag.stderr


def test_help_and_version_explain_themselves():
    help_text = subprocess.run([str(BINARY), "serve", "--help"], capture_output=True, text=True, timeout=60).stdout
    for needle in ("--host", "--port", "--database-path", "--data-dir", "--log-level", "VIBE_ENSEMBLE_PORT", "SIGTERM",
                   "--auth-token-file", "VIBE_ENSEMBLE_AUTH_TOKEN", "--no-auth"):
        assert needle in help_text
    version = subprocess.run([str(BINARY), "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.strip()


def test_an_auth_token_keeps_other_local_clients_out(start_server, claude_binary, claude_env, tmp_path):
    token = "local-secret-0123456789"
    server = start_server(extra=("--no-auto-spawn", "--auth-token", token))
    assert server.token == token
    response, body = request(server, body=INITIALIZE, headers=MCP_HEADERS, authorized=False)
    assert response.status == 401 and "bearer token" in json.loads(body)["error"]["message"]
    response, _ = request(server, body=INITIALIZE, headers={**MCP_HEADERS, "Authorization": f"Bearer {token}"})
    assert response.status == 200
    response, _ = request(server, method="GET", path="/events", headers={}, authorized=False)
    assert response.status == 401

    workdir = tmp_path / "claude-project"
    workdir.mkdir()
    subprocess.run([str(claude_binary), "mcp", "add", "--transport", "http", "vibe-ensemble", server.url,
                    "-H", f"Authorization: Bearer {token}"], cwd=workdir, env=claude_env, check=True,
                   capture_output=True, timeout=120)
    listed = subprocess.run([str(claude_binary), "mcp", "list"], cwd=workdir, env=claude_env, capture_output=True,
                            text=True, timeout=120)
    assert "Connected" in next(line for line in listed.stdout.splitlines() if line.startswith("vibe-ensemble:"))
