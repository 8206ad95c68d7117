"""Helpers for the worker suites: a coordinator client, event-driven waits, process checks."""

import asyncio
import pathlib
import time

from mcp import ClientSession

MARK_LIMIT = 100  # mark_events_processed takes at most this many ids (its event_ids maxItems)


class Coordinator:
    """A Python `mcp` session standing in for the coordinator's Claude Code."""

    def __init__(self, session: ClientSession):
        self.session = session
        self.seen: list[dict] = []

    async def call(self, name: str, arguments: dict | None = None) -> dict:
        result = await self.session.call_tool(name, arguments or {})
        assert not result.is_error, f"{name}: {result.content[0].text}"
        return result.structured_content

    async def try_call(self, name: str, arguments: dict | None = None):
        return await self.session.call_tool(name, arguments or {})

    async def wait_until(self, condition, timeout: float = 120) -> None:
        """Waits, woken by events (wait_for_events), until `await condition()` is true."""
        deadline = time.monotonic() + timeout
        while not await condition():
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"condition not met within {timeout}s; events so far: {self.event_summary()}"
            answer = await self.call("wait_for_events", {"timeout_seconds": max(1, min(10, int(remaining)))})
            await self.take(answer["events"])

    async def drain_events(self) -> list[dict]:
        await self.take((await self.call("get_events", {"limit": 1000}))["events"])
        return self.seen

    async def take(self, events: list[dict]) -> None:
        """Keeps `events` in `seen` and marks them processed."""
        self.seen += events
        ids = [event["id"] for event in events]
        for start in range(0, len(ids), MARK_LIMIT):
            await self.call("mark_events_processed", {"event_ids": ids[start:start + MARK_LIMIT]})

    def event_summary(self) -> list[str]:
        return [f"{e['event_type']}:{e.get('ticket_id') or e.get('worker_id')}" for e in self.seen]

    async def set_up_project(self, path: pathlib.Path, types=("planner", "coder", "reviewer"), **settings) -> None:
        await self.call("create_project", {"repository_name": "acme/shop", "path": str(path)})
        for worker_type in types:
            await self.call("create_worker_type", {
                "project_id": "acme/shop", "worker_type": worker_type, "system_prompt": f"You are the {worker_type}.",
                **settings})

    async def tickets_closed(self, count: int) -> bool:
        return (await self.call("list_tickets", {"status": "closed"}))["count"] >= count

    async def workers_settled(self) -> bool:
        workers = (await self.call("list_workers"))["workers"]
        return bool(workers) and all(w["worker"]["status"] in ("finished", "failed", "stopped") for w in workers)


def run_coordinator(server, body):
    """Runs `await body(Coordinator(session))` in a coordinator session to `server` (with its token)."""
    async def main():
        async with server.session() as session:
            await session.initialize()
            return await body(Coordinator(session))
    return asyncio.run(main())


def is_alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie counts as gone)."""
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def wait_for_file(path: pathlib.Path, timeout: float = 20) -> str:
    """Waits (bounded) for a file a child process writes, and returns its content."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.05)
    raise AssertionError(f"{path} was not written within {timeout}s")


def spawned_pids(events: list[dict]) -> list[int]:
    return [int(e["payload"]["pid"]) for e in events if e["event_type"] == "worker_spawned"]
