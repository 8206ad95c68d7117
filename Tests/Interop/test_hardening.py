"""Hardening seen from outside: the coordinator token, private files, protocol edges, text limits and
malformed input, through the real binary, the Python `mcp` client, raw HTTP and the real `claude`."""

import asyncio
import http.client
import json
import os
import random
import re
import secrets
import stat
import subprocess
import time

import pytest
from conftest import BINARY, bearer, free_port, trust_project
from test_python_client import COORDINATOR_TOOLS
from wire import INITIALIZE, MCP_HEADERS, json_rpc_answer, open_session, raw_exchange, request

PROMPT = 5  # seconds: an answer that is refused at once arrives well within this


def eventually(condition, timeout: float = 10, interval: float = 0.05) -> bool:
    """Polls `condition()` until it is true or `timeout` passes (bounded); returns its last value."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(interval)
    return condition()


def open_descriptors(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def write_token_file(path, token: str | None = None) -> str:
    token = token or secrets.token_hex(32)
    path.write_text(token + "\n")
    path.chmod(0o600)
    return token


# ---------------------------------------------------------------------------------------------
# The coordinator token


def test_without_the_token_mcp_and_events_are_401_and_health_says_only_ok(server):
    for headers in ({}, bearer("0" * 64), bearer(server.token + "x"), {"Authorization": server.token}):
        response, body = request(server, body=INITIALIZE, headers={**MCP_HEADERS, **headers}, authorized=False)
        assert response.status == 401, (headers, body)
        error = json.loads(body)
        assert error["jsonrpc"] == "2.0" and error["error"]["code"] == -32600 and "bearer token" in body
        response, _ = request(server, method="GET", path="/events", headers={"Accept": "text/event-stream", **headers},
                              authorized=False)
        assert response.status == 401, headers
        response, body = request(server, method="GET", path="/health", headers=headers, authorized=False)
        assert response.status == 200 and json.loads(body) == {"status": "ok"}, body

    response, body = request(server, method="GET", path="/health", headers={})
    report = json.loads(body)
    assert response.status == 200 and report["status"] == "ok"
    assert report["version"] and report["database"]["projects"] == 0 and report["mcp_sessions"] == 0, report
    response, _ = request(server, body=INITIALIZE, headers=MCP_HEADERS)
    assert response.status == 200 and response.getheader("Mcp-Session-Id")


def test_the_token_file_data_dir_and_database_are_private(server):
    content = server.token_file.read_text()
    assert re.fullmatch(r"[0-9a-f]{64}\n", content), content
    assert server.token == content.strip()
    assert server.token_file.parent == server.data_dir
    assert mode(server.token_file) == 0o600
    assert mode(server.data_dir) == 0o700
    database_files = [path for path in server.data_dir.iterdir() if path.name.startswith(server.database.name)]
    assert server.database in database_files
    for path in database_files:  # the database and its -wal, -shm and lock files
        assert mode(path) & 0o077 == 0, (path, oct(mode(path)))


def test_no_auth_is_refused_beyond_loopback_and_allowed_on_it(start_server, tmp_path):
    for host in ("0.0.0.0", "::"):
        data_dir = tmp_path / f"refused-{host.replace(':', '_')}"
        refused = subprocess.run([str(BINARY), "serve", "--no-auth", "--host", host, "--port", str(free_port()),
                                  "--data-dir", str(data_dir)], capture_output=True, text=True, timeout=60)
        assert refused.returncode != 0, refused.stderr
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and "--no-auth" in lines[0] and host in lines[0], refused.stderr
        assert not data_dir.exists()  # refused before anything was made

    open_server = start_server(extra=("--no-auto-spawn", "--no-auth"))
    assert any("warning" in line and "--no-auth" in line for line in open_server.log), "".join(open_server.log)
    assert open_server.token is None and not open_server.token_file.exists()
    response, _ = request(open_server, body=INITIALIZE, headers=MCP_HEADERS)
    assert response.status == 200
    response, body = request(open_server, method="GET", path="/health", headers={})
    assert "database" in json.loads(body)  # nothing to hide without a token


def test_a_token_on_the_command_line_warns_that_ps_shows_it(start_server, tmp_path):
    token = secrets.token_hex(20)
    flagged = start_server(extra=("--no-auto-spawn", "--auth-token", token))
    warnings = [line for line in flagged.log if "warning" in line and "--auth-token" in line]
    assert len(warnings) == 1 and "process list" in warnings[0], "".join(flagged.log)
    assert request(flagged, body=INITIALIZE, headers=MCP_HEADERS, authorized=False)[0].status == 401
    assert request(flagged, body=INITIALIZE, headers=MCP_HEADERS)[0].status == 200

    from_environment = start_server(database=tmp_path / "env" / "ensemble.db", extra=("--no-auto-spawn",),
                                    env={**os.environ, "VIBE_ENSEMBLE_AUTH_TOKEN": token})
    assert not any("warning" in line for line in from_environment.log), "".join(from_environment.log)
    assert from_environment.token == token and not from_environment.token_file.exists()
    assert request(from_environment, body=INITIALIZE, headers=MCP_HEADERS)[0].status == 200

    short = subprocess.run([str(BINARY), "serve", "--auth-token", "tiny-t0ken", "--port", str(free_port()),
                            "--data-dir", str(tmp_path / "short")], capture_output=True, text=True, timeout=60)
    assert short.returncode != 0 and len(short.stderr.strip().splitlines()) == 1, short.stderr
    assert "16 characters" in short.stderr and "tiny-t0ken" not in short.stderr  # a refused token is not echoed


# ---------------------------------------------------------------------------------------------
# setup-claude-code and the real claude


def set_up_project(project, server, token_file) -> str:
    """Runs setup-claude-code for `project` against `server`, reading `token_file`; returns .mcp.json."""
    project.mkdir()
    setup = subprocess.run([str(BINARY), "setup-claude-code", "--project-dir", str(project), "--port", str(server.port),
                            "--data-dir", str(server.data_dir), "--auth-token-file", str(token_file)],
                           capture_output=True, text=True, timeout=60)
    assert setup.returncode == 0, setup.stderr
    return (project / ".mcp.json").read_text()


def claude_mcp_list_line(claude_binary, claude_env, project) -> str:
    listed = subprocess.run([str(claude_binary), "mcp", "list"], cwd=project, env=claude_env,
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    return next(line for line in listed.stdout.splitlines() if line.startswith("vibe-ensemble:"))


def test_setup_claude_code_connects_claude_only_with_the_right_token(start_server, claude_binary, claude_env,
                                                                     tmp_path):
    token_file = tmp_path / "coordinator.token"
    token = write_token_file(token_file)
    server = start_server(extra=("--no-auto-spawn", "--auth-token-file", str(token_file)))
    assert server.token == token

    good = tmp_path / "good-project"
    mcp_json = set_up_project(good, server, token_file)
    assert token not in mcp_json
    trust_project(claude_env, good)
    line = claude_mcp_list_line(claude_binary, claude_env, good)
    assert "Connected" in line and "Failed" not in line, line

    wrong_file = tmp_path / "wrong.token"
    wrong = write_token_file(wrong_file)
    bad = tmp_path / "bad-project"
    assert wrong not in set_up_project(bad, server, wrong_file)
    trust_project(claude_env, bad)
    line = claude_mcp_list_line(claude_binary, claude_env, bad)
    assert "Connected" not in line and "Failed" in line and "401" in line, line  # refused for the token


def test_the_headers_helper_quotes_an_awkward_token_path(tmp_path):
    """The helper is a shell command: a data dir with quotes and $(…) must be read, not run."""
    data_dir = tmp_path / "it's $(touch pwned) `touch pwned2`"
    project = tmp_path / "project"
    project.mkdir()
    setup = subprocess.run([str(BINARY), "setup-claude-code", "--project-dir", str(project), "--port", "1",
                            "--data-dir", str(data_dir)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert setup.returncode == 0, setup.stderr
    token = (data_dir / "coordinator-token").read_text().strip()  # created here, as the server would
    helper = json.loads((project / ".mcp.json").read_text())["mcpServers"]["vibe-ensemble"]["headersHelper"]
    assert token not in helper
    output = subprocess.run(["sh", "-c", helper], capture_output=True, text=True, timeout=30, cwd=tmp_path, check=True)
    assert json.loads(output.stdout) == bearer(token)
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()


def test_setup_claude_code_keeps_the_mode_of_an_existing_mcp_json(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    mcp_json = project / ".mcp.json"
    mcp_json.write_text('{"mcpServers": {"other": {"type": "http", "url": "http://127.0.0.1:1/mcp"}}}')
    mcp_json.chmod(0o644)
    subprocess.run([str(BINARY), "setup-claude-code", "--project-dir", str(project), "--port", "1",
                    "--data-dir", str(tmp_path / "data")], capture_output=True, text=True, timeout=60, check=True)
    assert set(json.loads(mcp_json.read_text())["mcpServers"]) == {"other", "vibe-ensemble"}
    assert mode(mcp_json) == 0o644


# ---------------------------------------------------------------------------------------------
# Protocol edges


@pytest.mark.parametrize("bad_id", [True, None, 1.5, {"a": 1}, [1]], ids=["true", "null", "float", "object", "array"])
def test_an_id_that_is_not_a_string_or_integer_is_400(server, bad_id):
    response, body = request(server, body={"jsonrpc": "2.0", "id": bad_id, "method": "tools/list"},
                             headers=MCP_HEADERS)
    assert response.status == 400 and json.loads(body)["error"]["code"] == -32600, body


def test_fifty_bad_ids_are_refused_at_once_and_leave_no_descriptors_open(server):
    pid = server.process.pid
    before = open_descriptors(pid)
    message = json.dumps({"jsonrpc": "2.0", "id": True, "method": "tools/list"})
    for number in range(50):
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=PROMPT)
        try:
            connection.request("POST", "/mcp", body=message, headers={**MCP_HEADERS, **server.auth_headers()})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        assert response.status == 400 and json.loads(body)["error"]["code"] == -32600, (number, body)
        assert time.monotonic() - started < PROMPT, number
    assert eventually(lambda: open_descriptors(pid) <= before + 10), (before, open_descriptors(pid))
    assert request(server, method="GET", path="/health", headers={})[0].status == 200


def json_rpc_error(response, body: str, message_id) -> dict:
    """The error of a JSON-RPC answer with HTTP 200 and the request's id."""
    assert response.status == 200, (response.status, body)
    answer = json_rpc_answer(response, body)
    assert answer["id"] == message_id and "result" not in answer, answer
    return answer["error"]


def test_params_of_the_wrong_shape_are_32602_naming_the_field(server):
    valid = INITIALIZE["params"]
    initializations = [
        (5, "params"),
        ({key: value for key, value in valid.items() if key != "protocolVersion"}, "protocolVersion"),
        ({key: value for key, value in valid.items() if key != "capabilities"}, "capabilities"),
        ({key: value for key, value in valid.items() if key != "clientInfo"}, "clientInfo"),
    ]
    for number, (params, field) in enumerate(initializations):  # session-less: these would start a session
        response, body = request(server, body={"jsonrpc": "2.0", "id": 100 + number, "method": "initialize",
                                               "params": params}, headers=MCP_HEADERS)
        error = json_rpc_error(response, body, 100 + number)
        assert error["code"] == -32602 and field in error["message"], (field, error)
        assert not response.getheader("Mcp-Session-Id"), field

    session = open_session(server)
    headers = {**MCP_HEADERS, "Mcp-Session-Id": session}
    calls = [
        (200, [{"name": "list_projects"}], "params"),
        ("two hundred one", {"name": "list_projects", "arguments": [1]}, "arguments"),
        (202, {"name": 5, "arguments": {}}, "name"),
        (203, {"name": ["list_projects"]}, "name"),
    ]
    for message_id, params, field in calls:
        response, body = request(server, body={"jsonrpc": "2.0", "id": message_id, "method": "tools/call",
                                               "params": params}, headers=headers)
        error = json_rpc_error(response, body, message_id)
        assert error["code"] == -32602 and field in error["message"], (field, error)
    # The session survives its caller's mistakes.
    response, body = request(server, body={"jsonrpc": "2.0", "id": 204, "method": "tools/call",
                                           "params": {"name": "list_projects", "arguments": {}}}, headers=headers)
    assert json_rpc_answer(response, body)["result"]["structuredContent"] == {"count": 0, "next_cursor": None, "projects": []}


def test_legacy_call_tool_refuses_arguments_that_are_not_an_object(server):
    for message_id, arguments in ((1, [1]), (2, "x")):
        response, body = request(server, body={"jsonrpc": "2.0", "id": message_id, "method": "call_tool",
                                               "params": {"name": "list_projects", "arguments": arguments}})
        error = json_rpc_error(response, body, message_id)
        assert error["code"] == -32602 and "arguments" in error["message"], error


def sse_events(data: str) -> list[dict[str, str]]:
    """The events of an SSE body, each as its fields (a field seen twice keeps the last value)."""
    events = []
    for block in data.replace("\r\n", "\n").split("\n\n"):
        fields = dict(line.split(": ", 1) if ": " in line else (line.rstrip(":"), "")
                      for line in block.split("\n") if line)
        if fields:
            events.append(fields)
    return events


def test_a_string_id_with_line_breaks_cannot_forge_sse_events(server):
    session = open_session(server)
    forged = json.dumps({"jsonrpc": "2.0", "id": "x", "result": {"forged": True}})
    message_id = f"x\ndata: {forged}\n\nid: y"
    response, body = request(server, body={"jsonrpc": "2.0", "id": message_id, "method": "tools/list"},
                             headers={**MCP_HEADERS, "Mcp-Session-Id": session})
    assert response.status == 200
    messages = [json.loads(event["data"]) for event in sse_events(body) if event.get("data")]
    assert [message["id"] for message in messages] == [message_id], messages


def test_a_wrong_jsonrpc_version_is_an_invalid_request_not_a_parse_error(server):
    session = open_session(server)
    response, body = request(server, body={"jsonrpc": "1.0", "id": 5, "method": "tools/list"},
                             headers={**MCP_HEADERS, "Mcp-Session-Id": session})
    assert json_rpc_answer(response, body)["error"]["code"] == -32600, body


def head(target: str, *header_lines: str) -> str:
    return "\r\n".join([f"POST {target} HTTP/1.1", *header_lines])


def test_duplicate_host_and_foreign_absolute_targets_are_400_and_close(server):
    port = server.port
    message = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "list_tools"}).encode()  # the session-less form
    common = ["Content-Type: application/json", f"Authorization: Bearer {server.token}",
              f"Content-Length: {len(message)}"]
    local = f"Host: 127.0.0.1:{port}"
    refused = {
        "two Hosts": head("/mcp", local, "Host: evil.test", *common),
        "the same Host twice": head("/mcp", local, local, *common),
        "Hosts in two cases": head("/mcp", f"host: 127.0.0.1:{port}", "HOST: evil.test", *common),
        "a foreign target": head("http://evil.test/mcp", local, *common),
        "a foreign target on our port": head(f"http://evil.test:{port}/mcp", local, *common),
        "a loopback target that is not Host": head(f"http://localhost:{port}/mcp", local, *common),
        "userinfo in the target": head(f"http://127.0.0.1:{port}@evil.test/mcp", local, *common),
    }
    for case, request_head in refused.items():
        answer = raw_exchange(port, request_head, message)
        assert answer.status == 400, (case, answer.status, answer.body)
        assert answer.json()["error"]["code"] == -32600, (case, answer.body)
        assert answer.closed and answer.headers.get("connection") == "close", case

    for target, host in ((f"http://127.0.0.1:{port}/mcp", local),
                         (f"http://localhost:{port}/mcp", f"Host: localhost:{port}")):
        answer = raw_exchange(port, head(target, host, *common, "Connection: close"), message)
        assert answer.status == 200, (target, answer.body)
        assert len(answer.json()["result"]["tools"]) == len(COORDINATOR_TOOLS)


def test_an_http11_request_without_host_is_400(server):
    message = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "list_tools"}).encode()
    answer = raw_exchange(server.port, head("/mcp", "Content-Type: application/json", *map(
        ": ".join, server.auth_headers().items()), f"Content-Length: {len(message)}", "Connection: close"), message)
    assert answer.status == 400, answer.body[:200]


def test_bodies_over_four_mebibytes_are_413_and_unreadable_bodies_400(server):
    oversized = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"x": "a" * (4 << 20)}})
    response, body = request(server, body=oversized, headers=MCP_HEADERS)
    assert response.status == 413 and json.loads(body)["error"]["code"] == -32600
    common = [f"Host: 127.0.0.1:{server.port}", "Content-Type: application/json", *map(": ".join,
              server.auth_headers().items()), "Transfer-Encoding: chunked"]
    answer = raw_exchange(server.port, head("/mcp", *common), b"ZZZ\r\nnot a chunk\r\n0\r\n\r\n")
    assert answer.status == 400 and answer.json()["error"]["code"] == -32600, answer.body


# ---------------------------------------------------------------------------------------------
# Text limits through the Python client


def refusal(result, argument: str) -> str:
    """The text of a refused call: an error result with one line that names `argument`."""
    assert result.is_error, (argument, result.structured_content)
    text = result.content[0].text
    assert "\n" not in text and len(text) < 300 and f"'{argument}'" in text, text
    return text


async def counts(session, ticket_id: str) -> dict:
    """What a refused call must not change."""
    async def count(tool, arguments=None):
        return (await session.call_tool(tool, arguments or {})).structured_content["count"]
    ticket = (await session.call_tool("get_ticket", {"ticket_id": ticket_id})).structured_content
    return {"projects": await count("list_projects"), "tickets": await count("list_tickets"),
            "worker_types": await count("list_worker_types", {"project_id": "acme/shop"}),
            "events": await count("get_events", {"limit": 1000}), "comments": len(ticket["comments"]),
            "ticket": ticket["ticket"]}


def test_long_or_control_character_arguments_are_refused_and_change_nothing(server, project_dir):
    async def body(session):
        await session.initialize()
        escaped = await session.call_tool("create_project", {"repository_name": "acme/shop",
                                                              "path": f"{project_dir}/\u0000/etc"})
        assert "NUL" in refusal(escaped, "path")
        assert (await session.call_tool("list_projects", {})).structured_content == {"count": 0, "next_cursor": None, "projects": []}

        await session.call_tool("create_project", {"repository_name": "acme/shop", "path": str(project_dir)})
        await session.call_tool("create_worker_type", {"project_id": "acme/shop", "worker_type": "coder",
                                                       "system_prompt": "Code."})
        ticket = (await session.call_tool("create_ticket", {
            "project_id": "acme/shop", "title": "t", "description": "d", "execution_plan": ["coder"]}
        )).structured_content["ticket_id"]
        before = await counts(session, ticket)
        new_ticket = {"project_id": "acme/shop", "title": "t", "description": "d", "execution_plan": ["coder"]}
        comment = {"ticket_id": ticket, "worker_type": "coder", "worker_id": "coordinator", "stage_number": 0}
        refused = [
            ("create_ticket", {**new_ticket, "title": "x" * 201}, "title"),
            ("create_ticket", {**new_ticket, "description": "x" * 32001}, "description"),
            ("create_ticket", {**new_ticket, "title": "a\u0000b"}, "title"),
            ("create_ticket", {**new_ticket, "title": "two\nlines"}, "title"),
            ("create_ticket", {**new_ticket, "title": "a\tb"}, "title"),
            ("create_ticket", {**new_ticket, "description": "bell\u0007"}, "description"),
            ("create_ticket", {**new_ticket, "description": "\u001b[31mred"}, "description"),
            ("create_ticket", {**new_ticket, "ticket_id": "X-" + "9" * 255}, "ticket_id"),
            ("create_ticket", {**new_ticket, "execution_plan": ["coder"] * 101}, "execution_plan"),
            ("create_worker_type", {"project_id": "acme/shop", "worker_type": "writer",
                                    "system_prompt": "x" * 32001}, "system_prompt"),
            ("create_worker_type", {"project_id": "acme/shop", "worker_type": "wri\nter",
                                    "system_prompt": "p"}, "worker_type"),
            ("create_worker_type", {"project_id": "acme/shop", "worker_type": "writer", "system_prompt": "p\u0000"},
             "system_prompt"),
            ("create_project", {"repository_name": "x" * 257, "path": str(project_dir)}, "repository_name"),
            ("create_project", {"repository_name": "acme/other", "path": "/" + "p" * 4096}, "path"),
            ("update_project", {"repository_name": "acme/shop", "rules": "x" * 16001}, "rules"),
            ("update_project", {"repository_name": "acme/shop", "description": "x" * 2001}, "description"),
            ("add_ticket_comment", {**comment, "content": "x" * 16001}, "content"),
            ("add_ticket_comment", {**comment, "content": "nul \u0000 inside"}, "content"),
            ("close_ticket", {"ticket_id": ticket, "resolution": "x" * 2001}, "resolution"),
            ("update_ticket_stage", {"ticket_id": ticket, "stage": "c" * 257}, "stage"),
        ]
        for name, arguments, argument in refused:
            refusal(await session.call_tool(name, arguments), argument)
        assert await counts(session, ticket) == before

        # The limits are exact and count characters, not bytes; line breaks and tabs are text.
        at_limit = await session.call_tool("create_ticket", {
            **new_ticket, "title": "é" * 200, "description": "line one\n\tline two" + "x" * 31982})
        assert not at_limit.is_error, at_limit.content[0].text
        assert at_limit.structured_content["title"] == "é" * 200
        assert (await session.call_tool("list_tickets", {})).structured_content["count"] == before["tickets"] + 1

    asyncio.run(run_in_session(server, body))


async def run_in_session(server, body):
    async with server.session() as session:
        return await body(session)


def test_tools_list_documents_the_limits(server):
    async def body(session):
        await session.initialize()
        return {tool.name: tool.input_schema["properties"] for tool in (await session.list_tools()).tools}

    properties = asyncio.run(run_in_session(server, body))
    assert properties["create_ticket"]["title"]["maxLength"] == 200
    assert properties["create_ticket"]["description"]["maxLength"] == 32000
    assert properties["create_ticket"]["execution_plan"]["maxItems"] == 100
    assert properties["create_ticket"]["ticket_id"]["maxLength"] == 256
    assert properties["create_worker_type"]["system_prompt"]["maxLength"] == 32000
    assert properties["create_project"]["path"]["maxLength"] == 4096
    assert properties["create_project"]["rules"]["maxLength"] == 16000
    assert properties["add_ticket_comment"]["content"]["maxLength"] == 16000
    assert properties["complete_ticket_stage"]["report"]["maxLength"] == 16000
    assert properties["close_ticket"]["resolution"]["maxLength"] == 2000


def undocumented_limits(properties: dict) -> list[str]:
    """Arguments that may be free text or a list but state no maxLength / maxItems."""
    missing = []
    for name, schema in properties.items():
        types = schema.get("type") if isinstance(schema.get("type"), list) else [schema.get("type")]
        if "string" in types and "enum" not in schema and "maxLength" not in schema:
            missing.append(name)
        if "array" in types:
            items = schema.get("items", {})
            if "maxItems" not in schema or (items.get("type") == "string" and "maxLength" not in items):
                missing.append(name)
    return missing


@pytest.mark.parametrize("tool", sorted(COORDINATOR_TOOLS))
def test_every_text_and_list_argument_states_its_limit(server, tool):
    async def body(session):
        await session.initialize()
        return next(t.input_schema["properties"] for t in (await session.list_tools()).tools if t.name == tool)

    assert undocumented_limits(asyncio.run(run_in_session(server, body))) == []


# ---------------------------------------------------------------------------------------------
# Malformed requests


def malformed_requests(count: int, arguments_of: dict[str, list[str]]) -> list[bytes]:
    """`count` deterministic bad request bodies of varied shapes; `arguments_of` maps tools to their arguments."""
    rng = random.Random(20261201)
    valid = json.dumps({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
                        "params": {"name": "create_ticket", "arguments": {"project_id": "acme/shop"}}})
    junk_values = [None, True, -1, 0, 10 ** 30, -(10 ** 30), 1e308, 0.5, "", "x" * 5000, "\u0000", [], {},
                   [[[[[]]]]], {"a": {"b": {"c": []}}}, ["x"] * 150, "😀" * 300, [None, 1, "a", {}]]

    def call(arguments) -> bytes:
        return json.dumps({"jsonrpc": "2.0", "id": rng.randrange(1, 1 << 31), "method": "tools/call",
                           "params": {"name": rng.choice(sorted(arguments_of)), "arguments": arguments}}).encode()

    def junk_arguments() -> bytes:  # the tool's own argument names, with values of the wrong type or size
        tool = rng.choice(sorted(arguments_of))
        names = rng.sample(arguments_of[tool], min(3, len(arguments_of[tool])))
        return json.dumps({"jsonrpc": "2.0", "id": rng.randrange(1, 1 << 31), "method": "tools/call",
                           "params": {"name": tool, "arguments": {name: rng.choice(junk_values) for name in names}}}
                          ).encode()

    def nested(depth: int) -> str:
        return "[" * depth + "]" * depth

    shapes = [
        lambda: valid[:rng.randrange(1, len(valid))].encode(),                                # truncated JSON
        lambda: bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))),               # random bytes
        lambda: rng.choice([b"", b" ", b"null", b"0", b'"str"', b"{}", b"[]", b"{,}", b"\xff\xfe{}"]),
        lambda: json.dumps({"jsonrpc": rng.choice([2.0, "1.0", None, []]), "id": 1, "method": "tools/list"}).encode(),
        lambda: json.dumps({"jsonrpc": "2.0", "id": 1, "method": rng.choice(junk_values)}).encode(),
        lambda: json.dumps({"jsonrpc": "2.0", "id": rng.choice([10 ** rng.randrange(19, 400), -(10 ** 25), 1e308,
                                                                "i" * rng.randrange(1000, 100000)]),
                            "method": "tools/list"}).encode(),
        lambda: ('{"jsonrpc":"2.0","id":1,"method":"tools/list","params":' + nested(rng.randrange(1, 5000)) + "}"
                 ).encode(),
        lambda: nested(rng.randrange(1, 3000)).encode(),
        lambda: b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_projects\\ud800"}}',
        lambda: b'{"jsonrpc":"2.0","id":1,"id":2,"method":"tools/list","method":5}',
        lambda: json.dumps({"jsonrpc": "2.0", "method": rng.choice(["notifications/x", "tools/call", 5])}).encode(),
        junk_arguments,
        junk_arguments,
        junk_arguments,
        lambda: call(rng.choice(junk_values)),
        lambda: json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": rng.choice(junk_values), "capabilities": rng.choice(junk_values),
            "clientInfo": rng.choice(junk_values)}}).encode(),
    ]
    return [rng.choice(shapes)() for _ in range(count)]


def test_two_hundred_malformed_requests_get_no_5xx_and_the_server_stays_healthy(server, project_dir):
    async def arguments_of(session):
        await session.initialize()
        return {tool.name: sorted(tool.input_schema["properties"]) for tool in (await session.list_tools()).tools
                if tool.input_schema["properties"]}

    bodies = malformed_requests(200, asyncio.run(run_in_session(server, arguments_of)))
    session = open_session(server)
    statuses = []
    for number, body in enumerate(bodies):
        in_session = {"Mcp-Session-Id": session} if number % 4 else {}  # most reach the session's dispatch
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            connection.request("POST", "/mcp", body=body,
                               headers={**MCP_HEADERS, **server.auth_headers(), **in_session})
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            connection.close()
        assert response.status < 500, (number, body[:300], response.status, text[:300])
        assert ".swift" not in text and "Swift." not in text, (number, text[:300])  # no internals shown
        statuses.append(response.status)
    assert server.process.poll() is None, "".join(server.log)
    assert 400 in statuses and 200 in statuses, statuses

    response, body = request(server, method="GET", path="/health", headers={})
    assert response.status == 200 and json.loads(body)["status"] == "ok"
    assert json.loads(body)["database"]["projects"] == 0  # no junk call created anything
    response, body = request(server, body={"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
        "name": "create_project", "arguments": {"repository_name": "acme/shop", "path": str(project_dir)}}},
        headers={**MCP_HEADERS, "Mcp-Session-Id": session})
    assert json_rpc_answer(response, body)["result"]["structuredContent"]["repository_name"] == "acme/shop"
