"""Real `claude -p` workers, driven by the scripted fake model, carry tickets through their stages."""

import json
import os
import signal
import subprocess

from fake_model import Behaviour, Script
from conftest import BINARY
from workers import is_alive, run_coordinator, spawned_pids

PLAN = ["planner", "coder", "reviewer"]


def ticket_story(events: list[dict], ticket: str) -> list[tuple[str, int | None]]:
    return [(e["event_type"], e["stage"]) for e in events if e.get("ticket_id") == ticket
            and e["event_type"] not in ("task_requeued",)]


def test_three_tickets_flow_through_every_stage(worker_server, project_dir):
    server, model = worker_server()

    async def body(coordinator):
        await coordinator.set_up_project(project_dir)
        tickets = []
        for number in range(3):
            created = await coordinator.call("create_ticket", {
                "project_id": "acme/shop", "title": f"Feature {number}", "description": "Do it.",
                "execution_plan": PLAN})
            tickets.append(created["ticket_id"])
        await coordinator.wait_until(lambda: coordinator.tickets_closed(3), timeout=180)
        await coordinator.wait_until(coordinator.workers_settled, timeout=60)
        events = await coordinator.drain_events()

        for ticket in tickets:
            details = await coordinator.call("get_ticket", {"ticket_id": ticket})
            assert details["ticket"]["state"] == "closed"
            assert details["ticket"]["resolution"] == "completed"
            assert [(c["stage_number"], c["worker_type"]) for c in details["comments"]] == list(enumerate(PLAN))
            assert all(task["state"] == "done" for task in details["tasks"])
            assert ticket_story(events, ticket) == [
                ("ticket_created", 0), ("ticket_stage_completed", 0), ("ticket_stage_completed", 1),
                ("ticket_stage_completed", 2), ("ticket_completed", 2)]
        workers = (await coordinator.call("list_workers"))["workers"]
        assert sorted(w["worker"]["worker_id"] for w in workers) == [
            "worker_coder_1", "worker_planner_1", "worker_reviewer_1"]
        assert all(w["worker"]["status"] == "finished" for w in workers)
        assert all(w["worker"]["usage"]["turns"] > 0 for w in workers)
        pids = spawned_pids(events)
        assert pids and not any(is_alive(pid) for pid in pids)
        # One run per stage, each with its own cost; the ticket's total is their sum, exactly.
        for ticket in tickets:
            details = await coordinator.call("get_ticket", {"ticket_id": ticket})
            stages = details["stages"]
            assert [(s["stage"], s["worker_type"], s["usage"]["runs"]) for s in stages] == [
                (0, "planner", 1), (1, "coder", 1), (2, "reviewer", 1)]
            assert all(s["usage"]["cost_usd"] > 0 and s["usage"]["turns"] > 0 for s in stages)
            total = details["ticket"]["usage"]
            assert total["runs"] == 3
            assert abs(total["cost_usd"] - sum(s["usage"]["cost_usd"] for s in stages)) < 1e-9
        return tickets

    tickets = run_coordinator(server, body)
    # Every task ran in a fresh session: no request of any worker carries a second ticket.
    for request in model.requests:
        text = json.dumps(request["messages"])
        assert sum(ticket in text for ticket in tickets) <= 1, text[:2000]
    coder_sessions = {json.dumps(r["messages"][0]) for r in model.requests
                      if "Worker ID: worker_coder_1" in json.dumps(r.get("system"))}
    assert len(coder_sessions) >= 3
    status = subprocess.run([str(BINARY), "status", "--database-path", str(server.database)],
                            capture_output=True, text=True, timeout=60)
    assert status.returncode == 0, status.stderr
    assert "0 open · 0 in progress · 0 blocked · 0 on hold · 0 merging · 3 closed" in status.stdout
    assert "0 running · 3 finished" in status.stdout
    snapshot = json.loads(subprocess.run(
        [str(BINARY), "status", "--database-path", str(server.database), "--json"],
        capture_output=True, text=True, timeout=60, check=True).stdout)
    assert len(snapshot["tickets"]) == 3 and len(snapshot["workers"]) == 3


def test_reviewer_sends_a_ticket_back_once(worker_server, project_dir):
    server, model = worker_server(Script(behaviours={"reviewer": Behaviour(send_back_once=True)}))

    async def body(coordinator):
        await coordinator.set_up_project(project_dir)
        ticket = (await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "Review loop", "description": "d", "execution_plan": PLAN}))["ticket_id"]
        await coordinator.wait_until(lambda: coordinator.tickets_closed(1), timeout=180)
        events = await coordinator.drain_events()
        details = await coordinator.call("get_ticket", {"ticket_id": ticket})
        assert details["ticket"]["resolution"] == "completed"
        assert [c["worker_type"] for c in details["comments"]] == ["planner", "coder", "reviewer", "coder", "reviewer"]
        assert ticket_story(events, ticket) == [
            ("ticket_created", 0), ("ticket_stage_completed", 0), ("ticket_stage_completed", 1),
            ("ticket_sent_back", 2), ("ticket_stage_completed", 1), ("ticket_stage_completed", 2),
            ("ticket_completed", 2)]
        sent_back = next(e for e in events if e["event_type"] == "ticket_sent_back")
        assert sent_back["reason"] == "Needs rework: add tests."

    run_coordinator(server, body)


def test_a_worker_killed_mid_stage_is_replaced_and_its_task_requeued(worker_server, project_dir):
    script = Script(behaviours={"coder": Behaviour(stall_once=True)})
    server, model = worker_server(script)

    async def body(coordinator):
        await coordinator.set_up_project(project_dir, types=("coder",))
        ticket = (await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "Crash", "description": "d", "execution_plan": ["coder"]}))["ticket_id"]
        assert script.stalled.wait(timeout=60), "the coder never reached its stage"
        coder = (await coordinator.call("get_worker_status", {"worker_id": "worker_coder_1"}))["worker"]
        os.kill(coder["process"]["pid"], signal.SIGKILL)
        await coordinator.wait_until(lambda: coordinator.tickets_closed(1), timeout=120)
        events = await coordinator.drain_events()
        details = await coordinator.call("get_ticket", {"ticket_id": ticket})
        assert details["ticket"]["resolution"] == "completed"
        assert [task["state"] for task in details["tasks"]] == ["done"]
        assert details["tasks"][0]["attempt"] == 2
        requeued = [e for e in events if e["event_type"] == "task_requeued"]
        assert len(requeued) == 1 and "killed by signal 9" in requeued[0]["reason"]
        assert len(details["comments"]) == 1

    run_coordinator(server, body)
    script.release.set()


def test_a_worker_that_quits_without_completing_is_replaced(worker_server, project_dir):
    server, model = worker_server(Script(behaviours={"coder": Behaviour(quit_once=True)}))

    async def body(coordinator):
        await coordinator.set_up_project(project_dir, types=("coder",))
        ticket = (await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "Quit", "description": "d", "execution_plan": ["coder"]}))["ticket_id"]
        await coordinator.wait_until(lambda: coordinator.tickets_closed(1), timeout=120)
        events = await coordinator.drain_events()
        details = await coordinator.call("get_ticket", {"ticket_id": ticket})
        assert details["ticket"]["resolution"] == "completed"
        assert details["tasks"][0]["attempt"] == 2
        requeued = [e for e in events if e["event_type"] == "task_requeued"]
        assert len(requeued) == 1 and "exited with code 0" in requeued[0]["reason"]
        assert len(spawned_pids(events)) == 2

    run_coordinator(server, body)


def test_malformed_tool_arguments_are_corrected_by_the_worker(worker_server, project_dir):
    server, model = worker_server(Script(behaviours={"coder": Behaviour(malformed_once=True)}))

    async def body(coordinator):
        await coordinator.set_up_project(project_dir, types=("coder",))
        ticket = (await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "Typo", "description": "d", "execution_plan": ["coder"]}))["ticket_id"]
        await coordinator.wait_until(lambda: coordinator.tickets_closed(1), timeout=120)
        details = await coordinator.call("get_ticket", {"ticket_id": ticket})
        assert details["ticket"]["resolution"] == "completed"
        assert details["tasks"][0]["attempt"] == 1

    run_coordinator(server, body)
