"""Real `claude -p` workers, driven by the scripted model, carry tickets in git worktrees of their own;
the server commits each stage, merges finished tickets into the base branch one at a time, sends
conflicts back to the coder that owns them, and never touches a person's uncommitted change."""

import os
import pathlib
import signal
import subprocess

from conftest import BINARY
from fake_model import Behaviour, Script
from workers import is_alive, run_coordinator, wait_for_file

PLAN = ["coder", "reviewer"]


def git(repo: pathlib.Path, *arguments: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *arguments], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def make_repository(path: pathlib.Path) -> pathlib.Path:
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "A Person")
    git(path, "config", "user.email", "person@example.com")
    (path / "README.md").write_text("# Shop\n")
    (path / "shared.txt").write_text("line 1\nline 2\nline 3\n")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "Initial commit")
    return path


def bash(command: str) -> tuple[str, dict]:
    return ("Bash", {"command": command, "description": "Work on the ticket"})


def hanging_once(marker: pathlib.Path, seconds: int) -> str:
    """A merge check that hangs the first time (writing its pid to `marker`) and passes after."""
    return f"if [ ! -e {marker} ]; then echo $$ > {marker}; sleep {seconds}; fi"


async def set_up(coordinator, repo: pathlib.Path, coders: int = 2) -> None:
    await coordinator.call("create_project", {"repository_name": "acme/shop", "path": str(repo)})
    for worker_type, count in (("coder", coders), ("reviewer", 1)):
        await coordinator.call("create_worker_type", {
            "project_id": "acme/shop", "worker_type": worker_type, "system_prompt": f"You are the {worker_type}.",
            "max_workers": count})


async def file_tickets(coordinator, count: int) -> list[str]:
    return [(await coordinator.call("create_ticket", {
        "project_id": "acme/shop", "title": f"Feature {number}", "description": "Do it.",
        "execution_plan": PLAN}))["ticket_id"] for number in range(count)]


def test_two_tickets_in_parallel_work_in_their_own_worktrees_and_both_land(worker_server, tmp_path, project_dir):
    repo = make_repository(project_dir)
    seen = tmp_path / "seen"
    seen.mkdir()
    # Each coder writes its ticket's file and notes where it ran; the reviewer notes what it saw.
    coder = Behaviour(tools=lambda ticket, visit: [
        bash(f"pwd > {seen}/coder-{ticket} && echo 'made by {ticket}' > feature-{ticket}.txt")])
    reviewer = Behaviour(tools=lambda ticket, visit: [bash(f"pwd > {seen}/reviewer-{ticket} && ls > {seen}/ls-{ticket}")])
    server, model = worker_server(Script(behaviours={"coder": coder, "reviewer": reviewer}))

    async def body(coordinator):
        await set_up(coordinator, repo)
        project = await coordinator.call("get_project", {"repository_name": "acme/shop"})
        assert project["workspace"]["isolation"] == "worktree"
        assert project["workspace"]["base_branch"] == "main"
        tickets = await file_tickets(coordinator, 2)
        await coordinator.wait_until(lambda: coordinator.tickets_closed(2), timeout=180)
        events = await coordinator.drain_events()
        merged = {e["ticket_id"]: e for e in events if e["event_type"] == "ticket_merged"}
        assert sorted(merged) == sorted(tickets)
        for ticket in tickets:
            details = await coordinator.call("get_ticket", {"ticket_id": ticket})
            assert details["ticket"]["resolution"] == "completed"
        return tickets, merged

    tickets, merged = run_coordinator(server, body)
    worktrees = tmp_path / "data" / "worktrees"
    for ticket in tickets:
        # Both stages of a ticket ran in its worktree, not in the project's checkout …
        coder_cwd = (seen / f"coder-{ticket}").read_text().strip()
        assert coder_cwd == (seen / f"reviewer-{ticket}").read_text().strip()
        assert coder_cwd.startswith(str(worktrees)) and coder_cwd.endswith(ticket)
        # … the reviewer saw its own ticket's file and not the other's …
        listing = (seen / f"ls-{ticket}").read_text().split()
        others = [t for t in tickets if t != ticket]
        assert f"feature-{ticket}.txt" in listing and not any(f"feature-{t}.txt" in listing for t in others)
        # … and the work landed on main, which the clean checkout was fast-forwarded to.
        assert git(repo, "show", f"main:feature-{ticket}.txt") == f"made by {ticket}"
        assert (repo / f"feature-{ticket}.txt").read_text().strip() == f"made by {ticket}"
        assert git(repo, "merge-base", "--is-ancestor", merged[ticket]["payload"]["commit"], "main") == ""
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "branch", "--list", "vibe/*") == ""
    assert git(repo, "worktree", "list", "--porcelain").count("worktree ") == 1
    assert not any(worktrees.rglob("*.txt"))
    log = git(repo, "log", "--format=%an %s", "main")
    assert all(f"{ticket} stage 0 (coder)" in log for ticket in tickets), log


def test_a_conflict_goes_back_to_its_coder_which_merges_the_base_and_the_review_runs_again(
        worker_server, tmp_path, project_dir):
    repo = make_repository(project_dir)

    def coding(ticket, visit):
        if visit == 0:
            return [bash(f"sed -i 's/^line 2$/line 2 by {ticket}/' shared.txt")]
        # Sent back with the conflict: merge main and keep both tickets' intent.
        return [bash("git merge main >/dev/null 2>&1; printf 'line 1\\nline 2 by both\\nline 3\\n' > shared.txt"
                     " && git add shared.txt && git commit -qm 'Merge main, keeping both changes'")]

    server, model = worker_server(Script(behaviours={"coder": Behaviour(tools=coding)}))

    async def body(coordinator):
        await set_up(coordinator, repo)
        tickets = await file_tickets(coordinator, 2)
        await coordinator.wait_until(lambda: coordinator.tickets_closed(2), timeout=240)
        events = await coordinator.drain_events()
        conflicts = [e for e in events if e["event_type"] == "merge_conflict"]
        assert len(conflicts) == 1, coordinator.event_summary()
        conflicted = conflicts[0]["ticket_id"]
        assert "shared.txt" in conflicts[0]["reason"] and conflicts[0]["stage"] == 0
        details = await coordinator.call("get_ticket", {"ticket_id": conflicted})
        assert any("conflicts in: shared.txt" in c["content"] and c["worker_id"] == "vibe-ensemble"
                   for c in details["comments"])
        # The coder resolved it, the reviewer reviewed again, and it landed.
        stages = [(c["stage_number"], c["worker_type"]) for c in details["comments"] if c["worker_id"] != "vibe-ensemble"]
        assert stages == [(0, "coder"), (1, "reviewer"), (0, "coder"), (1, "reviewer")]
        assert sorted(e["ticket_id"] for e in events if e["event_type"] == "ticket_merged") == sorted(tickets)
        return tickets

    run_coordinator(server, body)
    assert git(repo, "show", "main:shared.txt").splitlines() == ["line 1", "line 2 by both", "line 3"]
    assert git(repo, "status", "--porcelain") == ""


def test_a_persons_uncommitted_change_is_never_touched_and_the_merge_waits_for_it(worker_server, tmp_path,
                                                                               project_dir):
    repo = make_repository(project_dir)
    coder = Behaviour(tools=lambda ticket, visit: [bash(f"echo 'by {ticket}' > feature.txt")])
    server, model = worker_server(Script(behaviours={"coder": coder}))
    (repo / "README.md").write_text("# Shop\n\nA person's unsaved thoughts.\n")
    checks = tmp_path / "checks"

    async def body(coordinator):
        await set_up(coordinator, repo, coders=1)
        await coordinator.call("update_project", {"repository_name": "acme/shop", "merge_check": f"echo ran >> {checks}"})
        [ticket] = await file_tickets(coordinator, 1)

        async def blocked():
            return any(e["event_type"] == "merge_blocked" for e in coordinator.seen)

        await coordinator.wait_until(blocked, timeout=180)
        event = next(e for e in coordinator.seen if e["event_type"] == "merge_blocked")
        assert "uncommitted changes" in event["reason"] and str(repo) in event["reason"]
        details = await coordinator.call("get_ticket", {"ticket_id": ticket})
        assert details["ticket"]["state"] == "merging"
        status = subprocess.run([str(BINARY), "status", "--database-path", str(server.database)],
                                capture_output=True, text=True, timeout=60, check=True).stdout
        assert "1 merging" in status and f"on vibe/{ticket} in " in status, status
        assert "merge waits: main is checked out at" in status, status
        # Untouched: the person's change, the checked-out branch, and main itself.
        assert (repo / "README.md").read_text() == "# Shop\n\nA person's unsaved thoughts.\n"
        assert not (repo / "feature.txt").exists()
        assert git(repo, "log", "--format=%s", "main") == "Initial commit"
        # While it waits, nothing runs over and over: no merge check, one merge_blocked.
        assert not checks.exists()
        # Once the person commits, the merge goes through.
        git(repo, "commit", "-qam", "My notes")
        await coordinator.wait_until(lambda: coordinator.tickets_closed(1), timeout=60)
        events = await coordinator.drain_events()
        assert [e["event_type"] for e in events].count("merge_blocked") == 1, [e["reason"] for e in events if e["event_type"] == "merge_blocked"]
        # (Twice when the person's commit came while a merge was being computed: the result changed.)
        assert checks.read_text() in ("ran\n", "ran\nran\n")
        return ticket

    ticket = run_coordinator(server, body)
    assert (repo / "feature.txt").read_text().strip() == f"by {ticket}"
    assert "A person's unsaved thoughts." in (repo / "README.md").read_text()
    assert git(repo, "log", "--format=%s", "-1", "main").startswith("Merge vibe/")


def test_a_dependent_branches_after_its_dependency_landed_with_files_setup_and_a_merge_check(
        worker_server, tmp_path, project_dir):
    repo = make_repository(project_dir)
    (repo / ".gitignore").write_text(".env\n.setup-ran\n")
    git(repo, "add", ".gitignore")
    git(repo, "commit", "-qm", "Ignore local files")
    (repo / ".env").write_text("SECRET=local\n")
    seen = tmp_path / "seen"
    seen.mkdir()

    def coding(ticket, visit):
        calls = [bash(f"cat .env .setup-ran > {seen}/local-{ticket}-{visit} && ls > {seen}/ls-{ticket}-{visit}")]
        if visit == 0:
            # The first attempt leaves a file the merge check refuses.
            return calls + [bash(f"echo 'by {ticket}' > feature-{ticket}.txt && touch broken.txt")]
        return calls + [bash("git rm -q broken.txt")]

    server, model = worker_server(Script(behaviours={"coder": Behaviour(tools=coding)}))

    async def body(coordinator):
        await set_up(coordinator, repo)
        await coordinator.call("update_project", {
            "repository_name": "acme/shop", "worktree_include": [".env"],
            "worktree_setup": "echo \"set up for $VIBE_ENSEMBLE_TICKET_ID\" > .setup-ran",
            "merge_check": "if [ -e broken.txt ]; then echo 'broken.txt must not land'; exit 1; fi"})
        first = (await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "First", "description": "d", "execution_plan": ["coder"]}))["ticket_id"]
        second = (await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "Second", "description": "d", "execution_plan": ["coder"],
            "depends_on": [first]}))["ticket_id"]
        await coordinator.wait_until(lambda: coordinator.tickets_closed(2), timeout=240)
        events = await coordinator.drain_events()
        failed = [e for e in events if e["event_type"] == "merge_check_failed"]
        assert [e["ticket_id"] for e in failed] == [first, second], coordinator.event_summary()
        details = await coordinator.call("get_ticket", {"ticket_id": first})
        assert any("broken.txt must not land" in c["content"] for c in details["comments"])
        story = [(e["event_type"], e.get("ticket_id")) for e in events]
        assert story.index(("ticket_merged", first)) < story.index(("ticket_unblocked", second))
        return first, second

    first, second = run_coordinator(server, body)
    # The second ticket's branch started from main after the first had landed.
    assert f"feature-{first}.txt" in (seen / f"ls-{second}-0").read_text().split()
    for ticket in (first, second):
        assert (seen / f"local-{ticket}-0").read_text() == f"SECRET=local\nset up for {ticket}\n"
        assert git(repo, "show", f"main:feature-{ticket}.txt") == f"by {ticket}"
    tracked = git(repo, "ls-tree", "-r", "--name-only", "main").split()
    assert ".env" not in tracked and ".setup-ran" not in tracked and "broken.txt" not in tracked


def test_a_failing_setup_holds_the_ticket_and_no_stage_runs(worker_server, project_dir):
    repo = make_repository(project_dir)
    server, model = worker_server()

    async def body(coordinator):
        await set_up(coordinator, repo, coders=1)
        await coordinator.call("update_project", {
            "repository_name": "acme/shop", "worktree_setup": "echo 'npm ERR! no lockfile'; exit 3"})
        [ticket] = await file_tickets(coordinator, 1)

        async def held():
            return (await coordinator.call("get_ticket", {"ticket_id": ticket}))["ticket"]["state"] == "on_hold"

        await coordinator.wait_until(held, timeout=120)
        events = await coordinator.drain_events()
        failure = next(e for e in events if e["event_type"] == "worktree_setup_failed")
        assert failure["ticket_id"] == ticket
        assert "npm ERR! no lockfile" in failure["reason"] and "status 3" in failure["reason"]
        details = await coordinator.call("get_ticket", {"ticket_id": ticket})
        assert all(task["state"] == "discarded" and task["failures"] == 0 for task in details["tasks"])
        return ticket

    ticket = run_coordinator(server, body)
    assert not [r for r in model.requests if "Worker Type: coder" in str(r.get("system"))]
    assert git(repo, "worktree", "list", "--porcelain").count("worktree ") == 1
    assert git(repo, "branch", "--list", "vibe/*") == ""


def test_closing_a_ticket_as_stopped_removes_its_worktree_and_keeps_its_branch(worker_server, tmp_path, project_dir):
    repo = make_repository(project_dir)
    coder = Behaviour(tools=lambda ticket, visit: [bash(f"echo 'half done' > wip-{ticket}.txt")])
    server, model = worker_server(Script(behaviours={"coder": coder, "reviewer": Behaviour(needs_attention_once=True)}))

    async def body(coordinator):
        await set_up(coordinator, repo, coders=1)
        [ticket] = await file_tickets(coordinator, 1)

        async def held():
            return (await coordinator.call("get_ticket", {"ticket_id": ticket}))["ticket"]["state"] == "on_hold"

        await coordinator.wait_until(held, timeout=120)
        await coordinator.call("close_ticket", {"ticket_id": ticket, "status": "Stopped", "resolution": "Not now."})
        return ticket

    ticket = run_coordinator(server, body)
    assert not (tmp_path / "data" / "worktrees" / "acme+shop" / ticket).exists()
    assert git(repo, "worktree", "list", "--porcelain").count("worktree ") == 1
    assert git(repo, "show", f"vibe/{ticket}:wip-{ticket}.txt") == "half done"
    assert git(repo, "log", "--format=%s", "main") == "Initial commit"


def test_kill_9_mid_stage_and_mid_merge_loses_no_commit_and_no_ticket(worker_server, tmp_path, project_dir):
    repo = make_repository(project_dir)
    marker = tmp_path / "check-started"

    def coding(ticket, visit):
        if visit == 0:
            return [bash(f"echo 'partial by {ticket}' > partial.txt")]
        return [bash(f"echo 'done by {ticket}' > feature.txt")]

    script = Script(behaviours={"coder": Behaviour(tools=coding, stall_once=True)})
    database = tmp_path / "data" / "ensemble.db"
    server, model = worker_server(script, database=database)

    async def until_stalled(coordinator):
        await set_up(coordinator, repo, coders=1)
        await coordinator.call("update_project", {
            "repository_name": "acme/shop",
            # The first check hangs (the server is killed during it); the one after the restart passes.
            "merge_check": hanging_once(marker, seconds=60)})
        [ticket] = await file_tickets(coordinator, 1)
        assert script.stalled.wait(timeout=120), "the coder never reached its stage"
        return ticket

    ticket = run_coordinator(server, until_stalled)
    server.stop(signal.SIGKILL)
    second, _ = worker_server(script, database=database, port=server.port)
    script.release.set()

    async def ticket_in(coordinator, state):
        return (await coordinator.call("get_ticket", {"ticket_id": ticket}))["ticket"]["state"] == state

    async def merging(coordinator):
        await coordinator.wait_until(lambda: ticket_in(coordinator, "merging"), timeout=180)

    run_coordinator(second, merging)
    check = int(wait_for_file(marker, timeout=60))
    second.stop(signal.SIGKILL)
    os.killpg(check, signal.SIGKILL)
    third, _ = worker_server(script, database=database, port=server.port)

    async def landed(coordinator):
        await coordinator.wait_until(lambda: coordinator.tickets_closed(1), timeout=180)
        events = await coordinator.drain_events()
        assert [e["ticket_id"] for e in events if e["event_type"] == "ticket_merged"] == [ticket]
        details = await coordinator.call("get_ticket", {"ticket_id": ticket})
        assert details["ticket"]["resolution"] == "completed"
        assert [c["worker_type"] for c in details["comments"]] == ["coder", "reviewer"]

    run_coordinator(third, landed)
    # The killed run's partial work was set aside as a patch, not merged; the retry's work landed.
    patches = list((tmp_path / "data" / "logs").glob("*.patch"))
    assert patches and any("partial by" in patch.read_text() for patch in patches)
    assert git(repo, "show", "main:feature.txt") == f"done by {ticket}"
    assert "partial.txt" not in git(repo, "ls-tree", "-r", "--name-only", "main").split()
    assert git(repo, "branch", "--list", "vibe/*") == ""


def test_a_run_that_dies_mid_stage_leaves_its_patch_and_the_retry_starts_from_the_last_commit(
        worker_server, tmp_path, project_dir):
    repo = make_repository(project_dir)
    seen = tmp_path / "seen"
    seen.mkdir()

    def coding(ticket, visit):
        if visit == 0:
            # Half the work, then the run dies: Claude Code itself is killed.
            return [bash(f"echo 'half' > half.txt && echo $PPID > {seen}/claude && kill -9 $PPID")]
        return [bash(f"ls > {seen}/retry-ls && echo 'whole' > whole.txt")]

    server, model = worker_server(Script(behaviours={"coder": Behaviour(tools=coding)}))

    async def body(coordinator):
        await set_up(coordinator, repo, coders=1)
        [ticket] = await file_tickets(coordinator, 1)
        await coordinator.wait_until(lambda: coordinator.tickets_closed(1), timeout=180)
        details = await coordinator.call("get_ticket", {"ticket_id": ticket})
        assert details["ticket"]["resolution"] == "completed"
        coder = next(s for s in details["stages"] if s["worker_type"] == "coder")
        assert coder["usage"]["runs"] == 2
        events = await coordinator.drain_events()
        assert any(e["event_type"] == "task_requeued" and e["ticket_id"] == ticket for e in events)
        return ticket

    run_coordinator(server, body)
    # The retry found the worktree at the last commit: the dead run's half.txt was set aside, not kept.
    assert "half.txt" not in (seen / "retry-ls").read_text().split()
    patches = list((tmp_path / "data" / "logs").glob("worker_coder_1-*.patch"))
    assert len(patches) == 1 and "+half" in patches[0].read_text()
    tracked = git(repo, "ls-tree", "-r", "--name-only", "main").split()
    assert "whole.txt" in tracked and "half.txt" not in tracked


def test_a_shutdown_does_not_wait_for_a_merge_check_and_the_merge_runs_again_at_the_next_start(
        worker_server, tmp_path, project_dir):
    repo = make_repository(project_dir)
    marker = tmp_path / "check-started"
    coder = Behaviour(tools=lambda ticket, visit: [bash(f"echo 'by {ticket}' > feature.txt")])
    script = Script(behaviours={"coder": coder})
    database = tmp_path / "data" / "ensemble.db"
    server, model = worker_server(script, database=database)

    async def until_checking(coordinator):
        await set_up(coordinator, repo, coders=1)
        await coordinator.call("update_project", {
            "repository_name": "acme/shop",
            "merge_check": hanging_once(marker, seconds=120)})
        [ticket] = await file_tickets(coordinator, 1)
        return ticket

    ticket = run_coordinator(server, until_checking)
    check = int(wait_for_file(marker, timeout=120))
    # A graceful stop ends the hanging check instead of waiting two minutes for it.
    assert server.stop(signal.SIGTERM, timeout=30) == 0
    assert not is_alive(check)
    second, _ = worker_server(script, database=database, port=server.port)

    async def landed(coordinator):
        await coordinator.wait_until(lambda: coordinator.tickets_closed(1), timeout=120)
        events = await coordinator.drain_events()
        kinds = [e["event_type"] for e in events if e.get("ticket_id") == ticket]
        assert "merge_check_failed" not in kinds and kinds.count("ticket_merged") == 1, kinds

    run_coordinator(second, landed)
    assert git(repo, "show", "main:feature.txt") == f"by {ticket}"
