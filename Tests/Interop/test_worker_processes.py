"""Worker processes under stress: stop ladder, server kill -9 and restart, token scoping."""

import asyncio
import json
import os
import signal
import stat

import pytest
from conftest import bearer, mcp_client
from fake_model import Behaviour, Script
from workers import is_alive, run_coordinator, wait_for_file

STUBBORN_WORKER = """#!/bin/bash
# A stand-in for claude that notes SIGTERM and keeps running, with a grandchild that ignores it.
trap 'echo TERM >> "$FAKE_CLAUDE_DIR/$VIBE_ENSEMBLE_WORKER_ID.signals"' TERM
(trap '' TERM; exec sleep 1000) &
echo $! > "$FAKE_CLAUDE_DIR/$VIBE_ENSEMBLE_WORKER_ID.grandchild"
env > "$FAKE_CLAUDE_DIR/$VIBE_ENSEMBLE_WORKER_ID.environ"
# The token is not in the environment: the MCP config's headersHelper prints it, as for claude.
previous=""; config=""
for argument in "$@"; do [ "$previous" = "--mcp-config" ] && config="$argument"; previous="$argument"; done
helper=$(printf '%s' "$config" | python3 -c 'import json, sys; print(next(iter(json.load(sys.stdin)["mcpServers"].values()))["headersHelper"])')
sh -c "$helper" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Authorization"].split()[1])' \
  > "$FAKE_CLAUDE_DIR/$VIBE_ENSEMBLE_WORKER_ID.token.partial"
mv "$FAKE_CLAUDE_DIR/$VIBE_ENSEMBLE_WORKER_ID.token.partial" "$FAKE_CLAUDE_DIR/$VIBE_ENSEMBLE_WORKER_ID.token"
while true; do sleep 1; done
"""


@pytest.fixture
def stubborn_server(start_server, tmp_path):
    """A server whose workers are the stubborn script; it writes what it sees into the returned folder."""
    fake_dir = tmp_path / "fake"
    fake_dir.mkdir()
    script = tmp_path / "stubborn-claude"
    script.write_text(STUBBORN_WORKER)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    server = start_server(
        env={**os.environ, "FAKE_CLAUDE_DIR": str(fake_dir)},
        extra=("--claude-path", str(script), "--stop-grace", "1", "--data-dir", str(tmp_path / "d")))
    return server, fake_dir


def test_stop_worker_kills_a_process_that_ignores_sigterm_with_its_group(stubborn_server, project_dir):
    server, fake_dir = stubborn_server

    async def body(coordinator):
        await coordinator.set_up_project(project_dir, types=("sleeper",), session="per_queue")
        spawned = await coordinator.call("spawn_worker", {
            "worker_id": "worker_sleeper_1", "project_id": "acme/shop", "worker_type": "sleeper"})
        pid = spawned["worker"]["process"]["pid"]
        grandchild = int(wait_for_file(fake_dir / "worker_sleeper_1.grandchild"))
        assert is_alive(pid) and is_alive(grandchild)

        stopped = await coordinator.call("stop_worker", {"worker_id": "worker_sleeper_1"})

        assert stopped["worker"]["status"] == "stopped"
        assert "TERM" in (fake_dir / "worker_sleeper_1.signals").read_text()  # SIGTERM came first …
        assert not is_alive(pid) and not is_alive(grandchild)  # … and SIGKILL ended the whole group
        events = await coordinator.drain_events()
        assert [e["event_type"] for e in events if e.get("worker_id") == "worker_sleeper_1"] == [
            "worker_spawned", "worker_stopped"]

    run_coordinator(server, body)


def test_a_worker_token_sees_only_its_own_tools_and_queue(stubborn_server, project_dir):
    server, fake_dir = stubborn_server

    async def set_up(coordinator):
        await coordinator.set_up_project(project_dir, types=("sleeper", "reviewer"), session="per_queue")
        for number in (1, 2):
            await coordinator.call("spawn_worker", {
                "worker_id": f"worker_sleeper_{number}", "project_id": "acme/shop", "worker_type": "sleeper"})
        return (await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "T", "description": "d",
            "execution_plan": ["sleeper", "reviewer"]}))["ticket_id"]

    ticket = run_coordinator(server, set_up)
    token = wait_for_file(fake_dir / "worker_sleeper_1.token")
    # Nothing the worker's process (and so its tools' commands) inherits carries the token.
    assert token not in (fake_dir / "worker_sleeper_1.environ").read_text()

    async def as_worker():
        async with mcp_client(server.url, bearer(token)) as session:
            await session.initialize()
            names = {tool.name for tool in (await session.list_tools()).tools}
            assert names == {"get_queue_tasks", "get_next_task", "get_ticket", "add_ticket_comment",
                             "complete_ticket_stage"}
            own = await session.call_tool("get_queue_tasks", {"queue_name": "queue_sleeper_1"})
            assert not own.is_error
            other = await session.call_tool("get_next_task", {"queue_name": "queue_sleeper_2"})
            assert other.is_error and "not yours" in other.content[0].text
            try:
                coordinator_tool = await session.call_tool("list_projects", {})
            except Exception as error:  # an unknown tool is a JSON-RPC error
                assert "Unknown tool" in str(error)
            else:
                assert coordinator_tool.is_error
            impostor = await session.call_tool("add_ticket_comment", {
                "ticket_id": ticket, "worker_type": "reviewer", "worker_id": "worker_sleeper_1", "stage_number": 1,
                "content": "Approved."})
            assert impostor.is_error and "worker_type" in impostor.content[0].text, impostor.content[0].text

    asyncio.run(as_worker())

    async def no_comment(coordinator):
        assert (await coordinator.call("get_ticket", {"ticket_id": ticket}))["comments"] == []

    run_coordinator(server, no_comment)
    bad = server_request_with_token(server, "not-a-token")
    assert bad == 401


def server_request_with_token(server, token: str) -> int:
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("POST", "/mcp", body=json.dumps({"jsonrpc": "2.0", "id": 1, "method": "list_tools"}),
                       headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    status = connection.getresponse().status
    connection.close()
    return status


def test_kill_9_and_restart_loses_no_task(worker_server, tmp_path, project_dir):
    script = Script(behaviours={"coder": Behaviour(stall_once=True)})
    database = tmp_path / "restart" / "ensemble.db"
    server, model = worker_server(script, database=database)
    tickets = []

    async def before_crash(coordinator):
        await coordinator.set_up_project(project_dir, types=("coder", "reviewer"))
        for number in range(3):
            created = await coordinator.call("create_ticket", {
                "project_id": "acme/shop", "title": f"T{number}", "description": "d",
                "execution_plan": ["coder", "reviewer"]})
            tickets.append(created["ticket_id"])
        assert script.stalled.wait(timeout=60), "the coder never reached its stage"
        queue = await coordinator.call("get_queue_status", {"queue_name": "queue_coder_1"})
        assert queue["counts"]["claimed"] == 1 and queue["counts"]["queued"] == 2
        return (await coordinator.call("get_worker_status", {"worker_id": "worker_coder_1"}))["worker"]["process"]["pid"]

    old_worker = run_coordinator(server, before_crash)
    server.stop(signal.SIGKILL)
    assert is_alive(old_worker), "the orphaned worker should outlive the killed server"

    second, _ = worker_server(script, database=database, port=server.port)
    script.release.set()

    async def after_restart(coordinator):
        await coordinator.wait_until(lambda: coordinator.tickets_closed(3), timeout=180)
        events = await coordinator.drain_events()
        for ticket in tickets:
            details = await coordinator.call("get_ticket", {"ticket_id": ticket})
            assert details["ticket"]["resolution"] == "completed", details
            done = [(task["stage"]) for task in details["tasks"] if task["state"] == "done"]
            assert sorted(done) == [0, 1], details["tasks"]
            retried = [task for task in details["tasks"] if task["attempt"] > 1]
            # kill -9 and a restart are no failure of the work.
            assert all(task["failures"] == 0 for task in details["tasks"]), details["tasks"]
            for task in retried:
                assert any(e["event_type"] == "task_requeued" and e["payload"]["task_id"] == str(task["id"])
                           for e in events), (task, coordinator.event_summary())
        assert any(e["event_type"] == "task_requeued" for e in events)
        assert not is_alive(old_worker)

    run_coordinator(second, after_restart)


def test_graceful_shutdown_stops_workers_and_their_work_resumes_after_restart(worker_server, tmp_path, project_dir):
    script = Script(behaviours={"coder": Behaviour(stall_once=True)})
    database = tmp_path / "graceful" / "ensemble.db"
    server, model = worker_server(script, database=database, extra=("--stop-grace", "1"))
    tickets = []

    async def before(coordinator):
        await coordinator.set_up_project(project_dir, types=("coder",))
        tickets.append((await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "T", "description": "d", "execution_plan": ["coder"]}))["ticket_id"])
        assert script.stalled.wait(timeout=60), "the coder never reached its stage"
        return (await coordinator.call("get_worker_status", {"worker_id": "worker_coder_1"}))["worker"]["process"]["pid"]

    worker = run_coordinator(server, before)
    assert server.stop(signal.SIGTERM, timeout=30) == 0
    server.wait_for_line("every worker process has exited", timeout=5)
    assert not is_alive(worker)
    script.release.set()

    second, _ = worker_server(script, database=database, port=server.port)

    async def after(coordinator):
        await coordinator.wait_until(lambda: coordinator.tickets_closed(1), timeout=120)
        events = await coordinator.drain_events()
        details = await coordinator.call("get_ticket", {"ticket_id": tickets[0]})
        assert details["ticket"]["resolution"] == "completed"
        assert [task["state"] for task in details["tasks"]] == ["done"]
        # Claimed twice, but the shutdown was no failure of the work: no attempt was used up.
        assert details["tasks"][0]["attempt"] == 2
        assert details["tasks"][0]["failures"] == 0
        assert any(e["event_type"] == "task_requeued" for e in events)

    run_coordinator(second, after)
