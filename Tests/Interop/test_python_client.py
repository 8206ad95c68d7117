"""The Python `mcp` SDK (2.x) as the coordinator: initialise, list tools, drive the whole flow."""

import asyncio

from conftest import tool_json

COORDINATOR_TOOLS = {
    "create_project", "list_projects", "get_project", "update_project", "delete_project",
    "create_worker_type", "list_worker_types", "get_worker_type", "update_worker_type", "delete_worker_type",
    "create_ticket", "get_ticket", "list_tickets", "update_ticket_stage", "add_ticket_comment", "close_ticket",
    "add_ticket_dependency", "remove_ticket_dependency",
    "get_events", "mark_events_processed", "wait_for_events",
    "spawn_worker", "stop_worker", "list_workers", "get_worker_status",
    "list_queues", "get_queue_status", "delete_queue", "assign_task",
    "get_queue_tasks", "get_next_task", "complete_ticket_stage",
}
READ_ONLY = {name for name in COORDINATOR_TOOLS if name.startswith(("list_", "get_"))} - {"get_next_task"} | {
    "wait_for_events"}


async def with_session(server, body):
    async with server.session() as session:
        init = await session.initialize()
        return await body(session, init)


def test_lists_exactly_the_coordinator_tools(server):
    async def body(session, init):
        assert init.protocol_version == "2025-11-25"
        assert init.server_info.name == "vibe-ensemble"
        assert "create_ticket" in init.instructions
        tools = (await session.list_tools()).tools
        assert {tool.name for tool in tools} == COORDINATOR_TOOLS
        assert len(tools) == len(COORDINATOR_TOOLS)
        for tool in tools:
            assert tool.input_schema["additionalProperties"] is False, tool.name
            assert tool.annotations.read_only_hint == (tool.name in READ_ONLY), tool.name

    asyncio.run(with_session(server, body))


def test_walks_the_full_project_ticket_event_flow(server, project_dir):
    async def body(session, init):
        project = tool_json(await session.call_tool(
            "create_project", {"repository_name": "acme/shop", "path": str(project_dir), "rules": "Write tests."}))
        assert project["path"] == str(project_dir)
        for worker_type in ("planner", "coder", "reviewer"):
            tool_json(await session.call_tool("create_worker_type", {
                "project_id": "acme/shop", "worker_type": worker_type,
                "system_prompt": f"You are the {worker_type}.", "allowed_tools": ["Read", "Edit"],
            }))
        ticket = tool_json(await session.call_tool("create_ticket", {
            "project_id": "acme/shop", "title": "Add search", "description": "Search products by name.",
            "execution_plan": ["planner", "coder", "reviewer"], "priority": "high",
        }))
        assert ticket["ticket_id"] == "SHOP-1"
        assert ticket["execution_plan"] == ["planner", "coder", "reviewer"]
        assert ticket["state"] == "open"

        notes = [("coordinator", "coordinator", 0, "Focus on the API."), ("planner", "worker_planner_1", 0, "Plan: …"),
                 ("coder", "worker_coder_1", 1, "Implemented.")]
        for worker_type, worker_id, stage, content in notes:
            tool_json(await session.call_tool("add_ticket_comment", {
                "ticket_id": "SHOP-1", "worker_type": worker_type, "worker_id": worker_id,
                "stage_number": stage, "content": content,
            }))
        details = tool_json(await session.call_tool("get_ticket", {"ticket_id": "SHOP-1"}))
        assert [comment["content"] for comment in details["comments"]] == [note[3] for note in notes]
        assert details["ticket"]["description"] == "Search products by name."

        events = tool_json(await session.call_tool("get_events", {}))["events"]
        # The server runs with --no-auto-spawn, so stage 0 waits for a planner on the backlog.
        assert [event["event_type"] for event in events] == ["ticket_created", "ticket_waiting_for_worker"]
        assert {event["ticket_id"] for event in events} == {"SHOP-1"}
        marking = tool_json(await session.call_tool(
            "mark_events_processed", {"event_ids": [event["id"] for event in events] + [987654]}))
        assert marking["marked"] == [event["id"] for event in events]
        assert marking["unknown"] == [987654]
        assert tool_json(await session.call_tool("get_events", {}))["events"] == []
        assert len(tool_json(await session.call_tool("get_events", {"processed": True}))["events"]) == 2

    asyncio.run(with_session(server, body))


def test_bad_input_is_a_tool_error_that_changes_nothing(server, project_dir, tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")

    async def body(session, init):
        tool_json(await session.call_tool("create_project", {"repository_name": "acme/shop", "path": str(project_dir)}))
        tool_json(await session.call_tool("create_worker_type", {
            "project_id": "acme/shop", "worker_type": "coder", "system_prompt": "Code."}))
        bad_calls = [
            ("create_project", {"repository_name": "acme/shop", "path": str(project_dir)}, "already exists"),
            ("create_project", {"repository_name": "acme/file", "path": str(a_file)}, "is not a directory"),
            ("create_worker_type", {"project_id": "acme/none", "worker_type": "x", "system_prompt": "p"}, "not found"),
            ("create_ticket", {"project_id": "acme/shop", "title": "t", "description": "d",
                               "execution_plan": ["coder", "tester"]}, "does not have: tester"),
            ("create_ticket", {"project_id": "acme/shop", "title": "t", "description": "d"}, "Missing required"),
            ("create_ticket", {"project_id": "acme/shop", "title": 5, "description": "d",
                               "execution_plan": ["coder"]}, "must be a string"),
            ("get_ticket", {"ticket_id": "NOPE-1"}, "not found"),
        ]
        for name, arguments, expected in bad_calls:
            result = await session.call_tool(name, arguments)
            assert result.is_error, (name, arguments)
            assert expected in result.content[0].text, (name, result.content[0].text)
        assert tool_json(await session.call_tool("list_projects", {}))["count"] == 1
        assert tool_json(await session.call_tool("list_tickets", {}))["count"] == 0
        assert tool_json(await session.call_tool("get_events", {}))["count"] == 0

    asyncio.run(with_session(server, body))
