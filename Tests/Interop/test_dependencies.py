"""Dependent tickets declared by a real `claude -p` planner, carried out in order by real workers."""

import json
import signal
import subprocess

from conftest import BINARY
from fake_model import Behaviour, Script
from workers import is_alive, run_coordinator

PLANNED = (
    {"ref": "schema", "title": "Add the orders table", "description": "The table the API reads.",
     "execution_plan": ["coder"]},
    {"ref": "api", "title": "Orders API", "description": "GET /orders.", "execution_plan": ["coder"],
     "depends_on": ["schema"]},
    {"ref": "page", "title": "Orders page", "description": "Lists the orders.", "execution_plan": ["coder"],
     "depends_on": ["schema"], "priority": "high"},
)


def status_text(server) -> str:
    status = subprocess.run([str(BINARY), "status", "--database-path", str(server.database)],
                            capture_output=True, text=True, timeout=60)
    assert status.returncode == 0, status.stderr
    return status.stdout


def test_a_planner_declares_dependent_tickets_that_survive_kill_9_and_run_in_order(worker_server, tmp_path,
                                                                                   project_dir):
    # The coder stalls on its first ticket, the schema, so the other two are blocked while the server dies.
    script = Script(behaviours={"planner": Behaviour(new_tickets=PLANNED), "coder": Behaviour(stall_once=True)})
    database = tmp_path / "planning" / "ensemble.db"
    server, model = worker_server(script, database=database)
    created: dict[str, str] = {}

    async def before_crash(coordinator):
        await coordinator.set_up_project(project_dir, types=("coder",))
        await coordinator.call("create_worker_type", {
            "project_id": "acme/shop", "worker_type": "planner", "system_prompt": "You plan the work.",
            "can_create_tickets": True})
        planning = await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "Orders", "description": "Plan the orders feature.",
            "execution_plan": ["planner"]})
        assert script.stalled.wait(timeout=90), "the coder never reached the schema ticket"
        events = await coordinator.drain_events()
        declared = next(e for e in events if e["event_type"] == "tickets_created")
        assert declared["ticket_id"] == planning["ticket_id"] and declared["worker_id"] == "worker_planner_1"
        ids = declared["payload"]["ticket_ids"].split(",")
        assert len(ids) == 3
        for entry, ticket_id in zip(PLANNED, ids):
            details = await coordinator.call("get_ticket", {"ticket_id": ticket_id})
            assert details["ticket"]["title"] == entry["title"]
            assert details["ticket"]["parent_ticket_id"] == planning["ticket_id"]
            created[entry["ref"]] = ticket_id
        for ref in ("api", "page"):
            details = await coordinator.call("get_ticket", {"ticket_id": created[ref]})
            assert details["ticket"]["state"] == "blocked", details["ticket"]
            assert [d["ticket_id"] for d in details["depends_on"]] == [created["schema"]]
            assert details["tasks"] == []
        schema = await coordinator.call("get_ticket", {"ticket_id": created["schema"]})
        assert schema["ticket"]["state"] == "in_progress"
        assert sorted(d["ticket_id"] for d in schema["dependents"]) == sorted([created["api"], created["page"]])
        blocked = await coordinator.call("list_tickets", {"status": "blocked"})
        assert sorted(t["ticket_id"] for t in blocked["tickets"]) == sorted([created["api"], created["page"]])
        return (await coordinator.call("get_worker_status", {"worker_id": "worker_coder_1"}))["worker"]["process"]["pid"]

    old_worker = run_coordinator(server, before_crash)
    # The planner was told how to declare tickets, with the project's worker types.
    planner_prompts = [r for r in model.requests if "Worker Type: planner" in str(r.get("system"))]
    assert planner_prompts and "CREATING TICKETS" in str(planner_prompts[0]["system"])
    assert "one per stage: coder, planner" in str(planner_prompts[0]["system"])

    server.stop(signal.SIGKILL)
    text = status_text(server)
    assert "2 blocked" in text and f"waits for {created['schema']} (in_progress)" in text, text
    snapshot = json.loads(subprocess.run(
        [str(BINARY), "status", "--database-path", str(server.database), "--json"],
        capture_output=True, text=True, timeout=60, check=True).stdout)
    assert sorted((b["ticket_id"], [d["ticket_id"] for d in b["waits_for"]]) for b in snapshot["blocked"]) == sorted(
        [(created["api"], [created["schema"]]), (created["page"], [created["schema"]])])

    second, _ = worker_server(script, database=database, port=server.port)
    script.release.set()

    async def after_restart(coordinator):
        await coordinator.wait_until(lambda: coordinator.tickets_closed(4), timeout=240)
        events = await coordinator.drain_events()
        story = [(e["event_type"], e.get("ticket_id")) for e in events]
        done = story.index(("ticket_completed", created["schema"]))
        for ref in ("api", "page"):
            details = await coordinator.call("get_ticket", {"ticket_id": created[ref]})
            assert details["ticket"]["resolution"] == "completed", details
            assert [c["worker_type"] for c in details["comments"]] == ["coder"]
            unblocked = story.index(("ticket_unblocked", created[ref]))
            assert done < unblocked < story.index(("ticket_completed", created[ref])), coordinator.event_summary()
        assert not is_alive(old_worker)

    run_coordinator(second, after_restart)
    assert "0 blocked" in status_text(second)


def test_the_python_sdk_edits_dependencies_and_a_stopped_one_is_left_to_the_coordinator(server, project_dir):
    """The real Python `mcp` client over HTTP: depends_on, the add and remove tools, their refusals,
    and dependency_failed, on a server without workers (stages wait on the backlog)."""
    import asyncio

    from conftest import tool_json

    async def call(session, name, arguments):
        result = await session.call_tool(name, arguments)
        return result, (result.content[0].text if result.content else "")

    async def body():
        async with server.session() as session:
            await session.initialize()
            tool_json(await session.call_tool("create_project", {"repository_name": "acme/shop",
                                                                 "path": str(project_dir)}))
            tool_json(await session.call_tool("create_worker_type", {
                "project_id": "acme/shop", "worker_type": "coder", "system_prompt": "You code."}))

            async def ticket(**extra):
                return tool_json(await session.call_tool("create_ticket", {
                    "project_id": "acme/shop", "title": "T", "description": "d", "execution_plan": ["coder"],
                    **extra}))

            a = (await ticket())["ticket_id"]
            b = await ticket(depends_on=[a])
            assert b["state"] == "blocked"
            c = (await ticket())["ticket_id"]
            added = tool_json(await session.call_tool("add_ticket_dependency",
                                                      {"ticket_id": c, "depends_on": b["ticket_id"]}))
            assert added["ticket"]["state"] == "blocked"
            assert [d["ticket_id"] for d in added["depends_on"]] == [b["ticket_id"]]

            refused, text = await call(session, "add_ticket_dependency", {"ticket_id": a, "depends_on": c})
            assert refused.is_error and f"would close the cycle {a} → {c} → {b['ticket_id']} → {a}" in text, text

            tool_json(await session.call_tool("close_ticket", {"ticket_id": a, "status": "Stopped",
                                                               "resolution": "Not needed after all."}))
            held = tool_json(await session.call_tool("get_ticket", {"ticket_id": b["ticket_id"]}))
            assert held["ticket"]["state"] == "on_hold"
            still = tool_json(await session.call_tool("get_ticket", {"ticket_id": c}))
            assert still["ticket"]["state"] == "blocked"
            events = tool_json(await session.call_tool("get_events", {"event_types": ["dependency_failed"]}))
            assert [(e["ticket_id"], e["payload"]["dependency"]) for e in events["events"]] == [(b["ticket_id"], a)]

            refused, text = await call(session, "update_ticket_stage", {"ticket_id": b["ticket_id"], "stage": 0})
            assert refused.is_error and "remove_ticket_dependency" in text, text
            tool_json(await session.call_tool("remove_ticket_dependency",
                                              {"ticket_id": b["ticket_id"], "depends_on": a}))
            resumed = tool_json(await session.call_tool("update_ticket_stage",
                                                        {"ticket_id": b["ticket_id"], "stage": 0}))
            assert resumed["state"] == "open"
            tasks = tool_json(await session.call_tool("get_ticket", {"ticket_id": b["ticket_id"]}))["tasks"]
            assert [t["state"] for t in tasks] == ["queued"]

    asyncio.run(body())
