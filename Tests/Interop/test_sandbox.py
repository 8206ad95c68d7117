"""A worker type with `sandbox: true`: the real `claude` runs its worker's Bash in Claude Code's own
sandbox (bubblewrap on Linux), so even a command that hides what it reads cannot reach the server's
data directory, and nothing outside the project can be written."""

import base64
import json
import shutil
import subprocess

import pytest
from fake_model import Behaviour, Script
from test_worker_isolation import tool_results
from workers import run_coordinator


def sandbox_works() -> bool:
    """Whether bubblewrap and socat are here and bwrap may create namespaces (as Claude Code needs)."""
    if not (shutil.which("bwrap") and shutil.which("socat")):
        return False
    probe = subprocess.run(["bwrap", "--ro-bind", "/", "/", "--unshare-pid", "true"], capture_output=True, timeout=30)
    return probe.returncode == 0


@pytest.mark.skipif(not sandbox_works(), reason="no usable bubblewrap and socat (scripts/install-system-packages)")
def test_a_sandboxed_workers_bash_cannot_read_the_data_directory_or_write_outside_the_project(
        worker_server, project_dir, tmp_path):
    outside = tmp_path / "outside.txt"
    script = Script()
    server, model = worker_server(script)
    headers = server.data_dir / "runs" / "worker_coder_1" / "headers.json"
    hidden = base64.b64encode(str(headers).encode()).decode()
    script.behaviours["coder"] = Behaviour(tools_once=(
        # The path is hidden from Claude Code's permission rules: only the sandbox can refuse it.
        ("Bash", {"command": f'cat "$(echo {hidden} | base64 -d)"', "description": "Read a file"}),
        ("Bash", {"command": f"echo escaped > {outside}", "description": "Write outside the project"}),
        ("Bash", {"command": f"echo inside > {project_dir}/inside.txt", "description": "Write in the project"}),
    ))

    async def body(coordinator):
        await coordinator.set_up_project(project_dir, types=("coder",), sandbox=True)
        kept = (await coordinator.call("get_worker_type", {"project_id": "acme/shop", "worker_type": "coder"}))
        assert kept["sandbox"] is True, kept
        await coordinator.call("create_ticket", {
            "project_id": "acme/shop", "title": "Probe", "description": "d", "execution_plan": ["coder"]})
        await coordinator.wait_until(lambda: coordinator.tickets_closed(1), timeout=120)
        await coordinator.wait_until(coordinator.workers_settled, timeout=60)

    run_coordinator(server, body)
    assert not script.errors, script.errors
    read, write_outside, write_inside = tool_results(model.requests, "Bash")
    assert "Authorization" not in json.dumps(read), read  # the sandbox hid the data directory
    assert not outside.exists(), write_outside
    assert (project_dir / "inside.txt").read_text().strip() == "inside", write_inside
