"""The server as PID 1 (a container without an init): orphans re-parented to it are reaped."""

import os
import pathlib
import shutil
import signal
import stat
import subprocess
import threading
import time

import pytest
from conftest import BINARY, ServerProcess
from workers import run_coordinator

# A stand-in for claude whose grandchild outlives its parent: the kernel re-parents that orphan
# to PID 1, which must reap it when it exits, or it stays a zombie for ever.
ORPHANING_WORKER = """#!/bin/bash
( (exec sleep 1) & )
exec tail -f /dev/null
"""


def unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "--pid", "--fork", "--mount-proc", "true"], capture_output=True, timeout=30)
    return probe.returncode == 0


class PidOneServer(ServerProcess):
    """A server started as PID 1 of a new PID namespace (with its own /proc, as in a container)."""

    def start(self) -> "PidOneServer":
        self.process = subprocess.Popen(
            ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child=SIGTERM",
             str(BINARY), "serve", "--port", str(self.port), "--database-path", str(self.database), *self.options],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=self.env)
        threading.Thread(target=self._pump, daemon=True).start()
        self.wait_for_line("Listening")
        self.token = self._coordinator_token()
        return self

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        # unshare --fork ignores SIGTERM itself (its child is meant to handle it): signal the server.
        if self.process and self.process.poll() is None:
            os.kill(self.host_pid, sig)
        assert self.process
        return self.process.wait(timeout=timeout)

    @property
    def host_pid(self) -> int:
        """The server's pid as this (outer) namespace sees it: the child unshare forked."""
        assert self.process
        children = pathlib.Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return int(children[0])


def children_of(pid: int) -> dict[int, tuple[str, str]]:
    """Processes whose parent is `pid`, as {pid: (command, state)}."""
    found = {}
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        command = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            found[int(entry.name)] = (command, fields[0])
    return found


@pytest.mark.skipif(not unshare_works(), reason="this machine cannot create a PID namespace (unshare --pid)")
def test_as_pid_one_the_server_reaps_orphans_a_worker_left(tmp_path, project_dir):
    script = tmp_path / "orphaning-claude"
    script.write_text(ORPHANING_WORKER)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    server = PidOneServer(tmp_path / "data" / "ensemble.db", extra=("--claude-path", str(script))).start()
    try:
        assert any("Running as PID 1" in line for line in server.log), "".join(server.log)

        async def spawn(coordinator):
            await coordinator.set_up_project(project_dir, types=("sleeper",), session="per_queue")
            await coordinator.call("spawn_worker", {
                "worker_id": "worker_sleeper_1", "project_id": "acme/shop", "worker_type": "sleeper"})

        run_coordinator(server, spawn)
        pid = server.host_pid

        # The orphaned `sleep 1` is adopted by the server …
        deadline = time.monotonic() + 20
        adopted = set()
        while time.monotonic() < deadline and not adopted:
            adopted = {child for child, (command, _) in children_of(pid).items() if command == "sleep"}
            time.sleep(0.02)
        assert adopted, f"no orphan was re-parented to the server: {children_of(pid)}"

        # … and once it exits, reaped: it never lingers as a zombie.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and adopted & set(children_of(pid)):
            time.sleep(0.05)
        left = {child: info for child, info in children_of(pid).items() if child in adopted}
        assert not left, f"orphans left unreaped: {left}"
    finally:
        server.stop()
        if server.process and server.process.poll() is None:
            server.kill()
