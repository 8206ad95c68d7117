"""Nothing is stranded: backlogged tickets drain, held tickets resume, ids never overflow, and one
database is served by one server at a time."""

import http.client
import json
import os
import queue
import re
import signal
import subprocess
import threading

from conftest import BINARY, free_port
from fake_model import Behaviour, Script
from workers import is_alive, run_coordinator, spawned_pids

MAX_TICKET_ID = "PROJ-9223372036854775807"  # Int64.max as the number of a PREFIX-N id
SECOND_SERVER_EXIT_TIMEOUT = 20


async def wait_or_explain(coordinator, condition, timeout: float, explain) -> None:
    """`coordinator.wait_until`, failing with `await explain()` in front of the events seen."""
    try:
        await coordinator.wait_until(condition, timeout=timeout)
    except AssertionError as error:
        raise AssertionError(f"{await explain()}\n{error}") from None


def events_of(events: list[dict], event_type: str, worker: str | None = None, ticket: str | None = None) -> list[dict]:
    return [e for e in events if e["event_type"] == event_type
            and (worker is None or e.get("worker_id") == worker) and (ticket is None or e.get("ticket_id") == ticket)]


def test_max_workers_1_drains_the_backlog_one_worker_at_a_time(worker_server, project_dir):
    server, model = worker_server(extra=("--max-workers", "1"))

    async def body(coordinator):
        await coordinator.set_up_project(project_dir, types=("alpha", "beta"))
        first = (await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "Alpha", "description": "d", "execution_plan": ["alpha"]}))["ticket_id"]
        second = (await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "Beta", "description": "d", "execution_plan": ["beta"]}))["ticket_id"]

        async def explain():
            tickets = (await coordinator.call("list_tickets"))["tickets"]
            backlog = (await coordinator.call("list_queues"))["backlog"]
            workers = (await coordinator.call("list_workers"))["workers"]
            return (f"with --max-workers 1 the backlog was not drained: tickets "
                    f"{[(t['ticket_id'], t['state'], t.get('resolution')) for t in tickets]}, backlog {backlog}, "
                    f"workers {[(w['worker']['worker_id'], w['worker']['status']) for w in workers]}")

        await wait_or_explain(coordinator, lambda: coordinator.tickets_closed(2), 120, explain)
        await wait_or_explain(coordinator, coordinator.workers_settled, 60, explain)
        events = await coordinator.drain_events()

        for ticket in (first, second):
            details = await coordinator.call("get_ticket", {"ticket_id": ticket})
            assert (details["ticket"]["state"], details["ticket"]["resolution"]) == ("closed", "completed"), details
        waiting = events_of(events, "ticket_waiting_for_worker", ticket=second)
        assert waiting and "--max-workers" in waiting[0]["reason"], coordinator.event_summary()
        assert not events_of(events, "ticket_waiting_for_worker", ticket=first), coordinator.event_summary()

        # Never two workers at once: beta's worker is spawned only after alpha's has finished.
        alpha_spawned = events_of(events, "worker_spawned", worker="worker_alpha_1")
        alpha_finished = events_of(events, "worker_finished", worker="worker_alpha_1")
        beta_spawned = events_of(events, "worker_spawned", worker="worker_beta_1")
        assert len(alpha_spawned) == 1 and len(alpha_finished) == 1 and len(beta_spawned) == 1, \
            coordinator.event_summary()
        assert int(alpha_spawned[0]["id"]) < int(alpha_finished[0]["id"]) < int(beta_spawned[0]["id"]), \
            coordinator.event_summary()
        workers = (await coordinator.call("list_workers"))["workers"]
        assert sorted(w["worker"]["worker_id"] for w in workers) == ["worker_alpha_1", "worker_beta_1"]
        assert not any(is_alive(pid) for pid in spawned_pids(events))

    run_coordinator(server, body)


def test_update_ticket_stage_resumes_a_ticket_on_hold(worker_server, project_dir):
    server, model = worker_server(Script(behaviours={"reviewer": Behaviour(needs_attention_once=True)}))

    async def body(coordinator):
        await coordinator.set_up_project(project_dir, types=("coder", "reviewer"))
        ticket = (await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "Hold", "description": "d",
            "execution_plan": ["coder", "reviewer"]}))["ticket_id"]

        async def needs_attention():
            return bool(events_of(coordinator.seen, "ticket_needs_attention", ticket=ticket))

        await coordinator.wait_until(needs_attention, timeout=120)
        held = await coordinator.call("get_ticket", {"ticket_id": ticket})
        assert held["ticket"]["state"] == "on_hold", held["ticket"]
        assert held["ticket"]["current_stage"] == 1, held["ticket"]
        # Let the reviewer that asked for attention exit first: the resume has to bring one back.
        await coordinator.wait_until(coordinator.workers_settled, timeout=60)
        before = {task["id"] for task in held["tasks"]}

        moved = await coordinator.call("update_ticket_stage", {"ticket_id": ticket, "stage": 1})
        assert moved["state"] == "open" and moved["current_stage"] == 1, moved

        async def explain():
            details = await coordinator.call("get_ticket", {"ticket_id": ticket})
            new = [(t["id"], t["stage"], t["state"]) for t in details["tasks"] if t["id"] not in before]
            workers = (await coordinator.call("list_workers"))["workers"]
            return (f"update_ticket_stage(stage=1) did not resume {ticket}: it is {details['ticket']['state']} at "
                    f"stage {details['ticket']['current_stage']}, tasks queued since: {new or 'none'}, all tasks "
                    f"{[(t['id'], t['stage'], t['state']) for t in details['tasks']]}, workers "
                    f"{[(w['worker']['worker_id'], w['worker']['status']) for w in workers]}")

        await wait_or_explain(coordinator, lambda: coordinator.tickets_closed(1), 120, explain)
        events = await coordinator.drain_events()
        details = await coordinator.call("get_ticket", {"ticket_id": ticket})
        assert details["ticket"]["resolution"] == "completed", details["ticket"]
        resumed = [t for t in details["tasks"] if t["id"] not in before]
        assert [(t["stage"], t["state"]) for t in resumed] == [(1, "done")], details["tasks"]
        assert details["comments"][-1]["worker_type"] == "reviewer"
        updated = events_of(events, "ticket_stage_updated", ticket=ticket)
        assert len(updated) == 1 and events_of(events, "ticket_completed", ticket=ticket), coordinator.event_summary()
        assert any(e["worker_id"].startswith("worker_reviewer_") and int(e["id"]) > int(updated[0]["id"])
                   for e in events_of(events, "worker_spawned")), coordinator.event_summary()
        await coordinator.wait_until(coordinator.workers_settled, timeout=60)

    run_coordinator(server, body)


def server_log(server) -> str:
    """What the server has written to stderr so far, without the threads of a crash backtrace."""
    while True:
        try:
            server.log.append(server.lines.get_nowait())
        except queue.Empty:
            break
    text = "".join(server.log)
    return text.split("\nPlatform:", 1)[0].strip() + "\n"


def call_tool(server, name: str, arguments: dict) -> dict:
    """One session-less `call_tool` request; fails saying so when the server is gone."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        message = {"jsonrpc": "2.0", "id": 1, "method": "call_tool", "params": {"name": name, "arguments": arguments}}
        connection.request("POST", "/mcp", body=json.dumps(message),
                           headers={"Content-Type": "application/json", **server.auth_headers()})
        response = connection.getresponse()
        body = response.read().decode()
    except (OSError, http.client.HTTPException) as error:
        try:
            code = server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            code = None
        raise AssertionError(
            f"{name} {arguments} got no answer ({error!r}); the server "
            f"{'still runs' if code is None else f'exited with code {code}'}; its log:\n{server_log(server)}") from None
    finally:
        connection.close()
    assert response.status == 200, (response.status, body)
    return json.loads(body)["result"]


def health(server) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", "/health", headers=server.auth_headers())
        response = connection.getresponse()
        return {"http_status": response.status, **json.loads(response.read())}
    finally:
        connection.close()


def test_a_ticket_id_at_int64_max_does_not_stop_generated_ids(start_server, project_dir):
    server = start_server(extra=("--no-auto-spawn",))

    def create(ticket_id: str | None = None) -> dict:
        arguments = {"project_id": "acme/proj", "title": "T", "description": "d", "execution_plan": ["coder"]}
        if ticket_id:
            arguments["ticket_id"] = ticket_id
        return call_tool(server, "create_ticket", arguments)

    assert not call_tool(server, "create_project", {"repository_name": "acme/proj", "path": str(project_dir)}).get("isError")
    assert not call_tool(server, "create_worker_type", {
        "project_id": "acme/proj", "worker_type": "coder", "system_prompt": "You are the coder."}).get("isError")
    first = create(MAX_TICKET_ID)
    assert not first.get("isError"), first
    assert first["structuredContent"]["ticket_id"] == MAX_TICKET_ID

    generated = create()
    assert server.process.poll() is None, f"the server exited with code {server.process.returncode}:\n{server_log(server)}"
    assert not generated.get("isError"), generated
    second_id = generated["structuredContent"]["ticket_id"]
    assert re.fullmatch(r"PROJ-\d+", second_id) and second_id != MAX_TICKET_ID, second_id
    assert health(server)["http_status"] == 200 and health(server)["status"] == "ok"

    assert server.stop(signal.SIGTERM) == 0, server_log(server)
    restarted = start_server(database=server.database, extra=("--no-auto-spawn",))
    server = restarted
    third = create()
    assert not third.get("isError"), third
    third_id = third["structuredContent"]["ticket_id"]
    assert re.fullmatch(r"PROJ-\d+", third_id) and third_id not in (MAX_TICKET_ID, second_id), third_id
    listed = call_tool(server, "list_tickets", {"project_id": "acme/proj"})["structuredContent"]
    assert sorted(t["ticket_id"] for t in listed["tickets"]) == sorted([MAX_TICKET_ID, second_id, third_id])


def descendants(pid: int) -> list[int]:
    """The live processes below `pid`."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = open(f"/proc/{entry}/stat").read()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(parent, []).append(int(entry))
    found, pending = [], [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def test_a_second_server_on_the_same_database_refuses_to_start(worker_server, project_dir):
    script = Script(behaviours={"coder": Behaviour(stall_once=True)})
    server, model = worker_server(script)

    async def before(coordinator):
        await coordinator.set_up_project(project_dir, types=("coder",))
        await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "Stall", "description": "d", "execution_plan": ["coder"]})
        assert script.stalled.wait(timeout=60), "the coder never reached its stage"

        async def spawned():
            return bool(spawned_pids(coordinator.seen))

        await coordinator.wait_until(spawned, timeout=30)
        return spawned_pids(coordinator.seen)[0]

    worker = run_coordinator(server, before)
    assert is_alive(worker)

    second = subprocess.Popen(
        [str(BINARY), "serve", "--port", str(free_port()), "--database-path", str(server.database), *server.options],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=server.env)
    stderr: list[str] = []
    pump = threading.Thread(target=lambda: stderr.extend(second.stderr), daemon=True)
    pump.start()
    try:
        try:
            code = second.wait(timeout=SECOND_SERVER_EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"a second server on {server.database} kept running for {SECOND_SERVER_EXIT_TIMEOUT}s instead of "
                f"refusing to start; the first server's worker {worker} is "
                f"{'alive' if is_alive(worker) else 'dead'}; the second server's log:\n{''.join(stderr)}") from None
        pump.join(timeout=10)
        assert code != 0, f"the second server exited with 0:\n{''.join(stderr)}"
        naming = [line for line in stderr if str(server.process.pid) in line]
        assert len(naming) == 1, f"want one line naming pid {server.process.pid}:\n{''.join(stderr)}"
        assert "database" in naming[0].lower() or str(server.database) in naming[0], naming[0]
        assert not any("Listening" in line for line in stderr), "".join(stderr)
    finally:
        stop_second_server(second)
    assert is_alive(worker), f"the first server's worker {worker} did not survive the second server"

    status = subprocess.run([str(BINARY), "status", "--database-path", str(server.database)],
                            capture_output=True, text=True, timeout=60)
    assert status.returncode == 0, status.stderr
    assert "1 running" in status.stdout, status.stdout
    assert server.process.poll() is None, server_log(server)

    script.release.set()

    async def after(coordinator):
        await coordinator.wait_until(lambda: coordinator.tickets_closed(1), timeout=120)
        await coordinator.wait_until(coordinator.workers_settled, timeout=60)
        events = await coordinator.drain_events()
        ticket = (await coordinator.call("list_tickets"))["tickets"][0]
        details = await coordinator.call("get_ticket", {"ticket_id": ticket["ticket_id"]})
        assert details["ticket"]["resolution"] == "completed", details["ticket"]
        assert [(t["state"], t["attempt"]) for t in details["tasks"]] == [("done", 1)], details["tasks"]
        assert not events_of(events, "task_requeued"), coordinator.event_summary()
        assert not spawned_pids(events), coordinator.event_summary()  # the stalled worker itself finished it

    run_coordinator(server, after)


def stop_second_server(process: subprocess.Popen) -> None:
    """Stops the second server if it runs (gracefully, so it stops its workers), then anything it left."""
    spawned = descendants(process.pid) if process.poll() is None else []
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    for pid in spawned:
        if is_alive(pid):
            os.kill(pid, signal.SIGKILL)
