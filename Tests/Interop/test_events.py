"""Live event push: the /events SSE stream and MCP notifications to coordinator sessions."""

import asyncio
import http.client
import json

from conftest import tool_json


async def set_up_and_file_ticket(session, project_dir):
    tool_json(await session.call_tool("create_project", {"repository_name": "acme/shop", "path": str(project_dir)}))
    tool_json(await session.call_tool("create_worker_type", {
        "project_id": "acme/shop", "worker_type": "coder", "system_prompt": "Code."}))
    return tool_json(await session.call_tool("create_ticket", {
        "project_id": "acme/shop", "title": "t", "description": "d", "execution_plan": ["coder"]}))


def test_the_events_stream_sends_new_events_as_they_happen(server, project_dir):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/events", headers={"Accept": "text/event-stream", **server.auth_headers()})
    stream = connection.getresponse()
    assert stream.status == 200 and stream.getheader("Content-Type") == "text/event-stream"

    async def file_ticket():
        async with server.session() as session:
            await session.initialize()
            return await set_up_and_file_ticket(session, project_dir)

    ticket = asyncio.run(file_ticket())
    lines = []
    while not any(line.startswith("data: ") for line in lines):
        lines.append(stream.readline().decode().rstrip("\n"))
    assert "event: ticket_created" in lines
    data = json.loads(next(line for line in lines if line.startswith("data: "))[len("data: "):])
    assert data["ticket_id"] == ticket["ticket_id"]
    connection.close()


def test_coordinator_sessions_are_notified_of_events(server, project_dir):
    received = []
    arrived = asyncio.Event()

    async def on_message(message):
        params = getattr(getattr(message, "root", message), "params", None)
        data = getattr(params, "data", None)
        if isinstance(data, dict) and data.get("event_type"):
            received.append(data)
            arrived.set()

    async def body():
        async with server.session(message_handler=on_message) as session:
            await session.initialize()
            ticket = await set_up_and_file_ticket(session, project_dir)
            await asyncio.wait_for(arrived.wait(), timeout=30)
            return ticket

    ticket = asyncio.run(body())
    assert received[0]["event_type"] == "ticket_created"
    assert received[0]["ticket_id"] == ticket["ticket_id"]
