"""List scaling: how long `list_tickets` takes as the tickets pile up, closed ones dominating.

The server runs with --no-auto-spawn, so no worker runs. Tickets are filed with create_ticket
and, except the first OPEN_TICKETS, closed at once with close_ticket (closed tickets dominate, as
in real use), up to 200, 2,000 and 10,000 in total (quick: 200 and 2,000). At each size
list_tickets is timed over ~30 calls (p50/p99): the first page (`limit` 50) when the server's
list_tickets accepts `limit` (its inputSchema in tools/list), else the whole unpaginated list (in
a time budget). With pagination it also times a page deep in the list, fetched with a cursor
(`next_cursor`) from the middle, and the first page of open tickets (`status: open`).

Goal: a page at 10,000 tickets in ≤ 20 ms, not growing with the number of closed tickets (the
10,000 page p50 over the 200 page p50, here ≤ 1.5×). Filing is bounded in time; a size not
reached is reported as such.
"""
from __future__ import annotations

import os
import threading
import time
from typing import Any

from .common import McpError, row
from .ensemble import PROJECT, Ensemble, percentiles

SECTION = "lists"
OPEN_TICKETS = 20  # the first tickets stay open; every later one is closed once filed
PAGE = 50
CALLS = 30
UNPAGINATED_BUDGET = 30.0  # seconds of list calls per size when every call lists everything
FILERS = 2  # coordinator sessions filing at once (the server serializes the writes)


def file_tickets(server: Ensemble, start: int, stop: int, deadline: float) -> dict[str, Any]:
    """Files tickets number start..stop-1 (closing all but the first OPEN_TICKETS), on FILERS sessions."""
    lock = threading.Lock()
    numbers = iter(range(start, stop))
    creates, closes, errors = [], [], [0]
    filed = [0]

    def filer() -> None:
        coordinator = server.coordinator()
        while time.monotonic() < deadline:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            began = time.perf_counter()
            ticket = coordinator.call("create_ticket", {
                "project_id": PROJECT, "title": f"Ticket {number}", "execution_plan": ["coder"],
                "description": f"List-scaling ticket {number}."})
            created = time.perf_counter()
            if ticket and number >= OPEN_TICKETS:
                coordinator.call("close_ticket", {"ticket_id": ticket["ticket_id"], "status": "Completed",
                                                  "resolution": "Filed for the list benchmark."})
            with lock:
                creates.append(created - began)
                if number >= OPEN_TICKETS:
                    closes.append(time.perf_counter() - created)
                filed[0] += 1 if ticket else 0
        with lock:
            errors[0] += coordinator.errors

    began = time.monotonic()
    threads = [threading.Thread(target=filer) for _ in range(FILERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"filed": filed[0], "seconds": time.monotonic() - began, "create_ticket": percentiles(creates),
            "close_ticket": percentiles(closes), "errors": errors[0]}


def time_calls(coordinator, arguments: dict[str, Any], calls: int, budget: float) -> dict[str, Any]:
    times, sizes = [], []
    began = time.monotonic()
    for _ in range(calls):
        start = time.perf_counter()
        try:
            result = coordinator.client.call_tool("list_tickets", arguments, check=False)
        except McpError as error:
            coordinator.errors += 1
            coordinator.protocol_errors += 1
            coordinator.error_samples.append(f"list_tickets: {str(error)[:300]}")
            continue
        times.append(time.perf_counter() - start)
        if result.get("isError"):
            coordinator.errors += 1
        content = result.get("structuredContent") or {}
        sizes.append(len(content.get("tickets", [])))
        if time.monotonic() - began > budget and len(times) >= 3:
            break
    return {**percentiles(times), "arguments": arguments, "tickets_returned": max(sizes) if sizes else 0}


def cursor_in_the_middle(coordinator, total: int) -> str | None:
    """Walks the list with limit 200 to about its middle and returns the cursor found there."""
    cursor, seen = None, 0
    for _ in range(total // 200 + 2):
        arguments = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        page = coordinator.call("list_tickets", arguments)
        seen += len(page.get("tickets", []))
        cursor = page.get("next_cursor")
        if not cursor or seen >= total // 2:
            return cursor
    return cursor


def run(binary: str, quick: bool) -> dict:
    sizes = [200, 2000] if quick else [200, 2000, 10000]
    filing_budget = 150.0 if quick else 900.0
    rows, raw = [], {"sizes": {}, "open_tickets": OPEN_TICKETS, "loadavg_at_start": os.getloadavg()}
    with Ensemble(binary, "lists", extra=("--no-auto-spawn",)) as server:
        coordinator = server.coordinator()
        server.set_up(coordinator, {"coder": 1})
        paginated = coordinator.accepts("list_tickets", "limit")
        raw["paginated"] = paginated
        deadline = time.monotonic() + filing_budget
        total, filing = 0, []
        for size in sizes:
            filed = file_tickets(server, total, size, deadline)
            total += filed["filed"]
            filing.append({"target": size, **filed})
            if total < size:
                raw["sizes"][str(size)] = {"reached": total, "filing": filed, "note": "filing budget exhausted"}
                break
            measured: dict[str, Any] = {"reached": total, "filing": filed}
            if paginated:
                measured["first_page"] = time_calls(coordinator, {"limit": PAGE}, CALLS, 60)
                measured["open_first_page"] = time_calls(coordinator, {"limit": PAGE, "status": "open"}, CALLS, 60)
                cursor = cursor_in_the_middle(coordinator, total)
                if cursor:
                    measured["middle_page"] = time_calls(coordinator, {"limit": PAGE, "cursor": cursor}, CALLS, 60)
            else:
                measured["whole_list"] = time_calls(coordinator, {}, CALLS, UNPAGINATED_BUDGET)
            raw["sizes"][str(size)] = measured
        raw["filing"] = filing
        raw["errors"] = sum(c.errors for c in server.coordinators)
        raw["protocol_errors"] = sum(c.protocol_errors for c in server.coordinators)
        raw["error_samples"] = [s for c in server.coordinators for s in c.error_samples][:10]

    key = "first_page" if paginated else "whole_list"
    what = f"first page (limit {PAGE})" if paginated else "whole list (no pagination)"
    measured = {int(size): value for size, value in raw["sizes"].items() if key in value}
    for size, value in sorted(measured.items()):
        rows.append(row(SECTION, f"list_tickets {what} p50 ms, {size:,} tickets", round(value[key]["p50_ms"], 2)))
        rows.append(row(SECTION, f"list_tickets {what} p99 ms, {size:,} tickets", round(value[key]["p99_ms"], 2)))
        if "middle_page" in value:
            rows.append(row(SECTION, f"list_tickets page by cursor mid-list p50 ms, {size:,} tickets",
                            round(value["middle_page"]["p50_ms"], 2)))
        if "open_first_page" in value:
            rows.append(row(SECTION, f"list_tickets status=open page p50 ms, {size:,} tickets",
                            round(value["open_first_page"]["p50_ms"], 2)))
    largest, smallest = max(sizes), min(sizes)
    if largest in measured and smallest in measured:
        big, small = measured[largest][key]["p50_ms"], measured[smallest][key]["p50_ms"]
        rows.append(row(SECTION, f"list_tickets page p50 ms at {largest:,} (ref: at {smallest:,})", round(big, 2),
                        round(small, 2), big / small, "≤ 20 ms, ≤ 1.5× growth",
                        paginated and big <= 20 and big / small <= 1.5))
    else:
        reached = max((value.get("reached", 0) for value in raw["sizes"].values()), default=0)
        rows.append(row(SECTION, f"list_tickets page at {largest:,}: only {reached:,} tickets filed in "
                                 f"{filing_budget:.0f} s", None, goal="≤ 20 ms, ≤ 1.5× growth", met=False))
    for entry in raw["filing"]:
        rows.append(row(SECTION, f"filing to {entry['target']:,}: create_ticket p50 ms", 
                        round(entry["create_ticket"].get("p50_ms", 0), 2)))
    rows.append(row(SECTION, "errors (isError results)", raw["errors"], goal="0", met=raw["errors"] == 0))
    return {"rows": rows, "raw": raw}


if __name__ == "__main__":
    # cd Benchmarks && ../.venv/bin/python -m bench.lists [BINARY] [--quick]   (run.py runs it too)
    from .common import main
    main(run)
