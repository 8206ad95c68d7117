"""Fixtures that run the real `vibe-ensemble` binary as a child process on a free loopback port."""

import json
import os
import pathlib
import queue
import shutil
import signal
import socket
import subprocess
import threading

import pytest
from fake_model import FakeModel, Script

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("VIBE_ENSEMBLE_BIN", ROOT / ".build" / "debug" / "vibe-ensemble"))
START_TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """One `vibe-ensemble serve` child; its stderr is collected line by line."""

    def __init__(self, database: pathlib.Path, port: int | None = None, extra: tuple[str, ...] = (),
                 env: dict[str, str] | None = None):
        self.database = database
        self.port = port or free_port()
        self.extra = extra
        self.env = env
        self.lines: "queue.Queue[str]" = queue.Queue()
        self.log: list[str] = []
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    def start(self) -> "ServerProcess":
        self.process = subprocess.Popen(
            [str(BINARY), "serve", "--port", str(self.port), "--database-path", str(self.database), *self.extra],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
        )
        threading.Thread(target=self._pump, daemon=True).start()
        self.wait_for_line("Listening")
        return self

    def _pump(self) -> None:
        assert self.process and self.process.stderr
        for line in self.process.stderr:
            self.lines.put(line)
        self.lines.put("")  # end of output

    def wait_for_line(self, needle: str, timeout: float = START_TIMEOUT) -> str:
        """Waits for a log line containing `needle`; fails with the log so far."""
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no log line with {needle!r} within {timeout}s:\n{''.join(self.log)}")
            self.log.append(line)
            if needle in line:
                return line
            if line == "":
                raise AssertionError(f"server exited before logging {needle!r}:\n{''.join(self.log)}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        assert self.process
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def start_server(tmp_path):
    started: list[ServerProcess] = []

    def start(database: pathlib.Path | None = None, port: int | None = None, extra: tuple[str, ...] = (),
              env: dict[str, str] | None = None):
        server = ServerProcess(database or tmp_path / "data" / "ensemble.db", port, extra, env).start()
        started.append(server)
        return server

    yield start
    for server in started:
        # Graceful, so the supervisor stops the workers it runs; a killed server would orphan them.
        try:
            server.stop(signal.SIGTERM, timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    leftovers = worker_processes_under(tmp_path)
    for pid in leftovers:
        os.kill(pid, signal.SIGKILL)
    assert not leftovers, f"worker processes outlived their server: {leftovers}"


def worker_processes_under(directory: pathlib.Path) -> list[int]:
    """Live processes started as workers (they carry VIBE_ENSEMBLE_WORKER_ID) running in `directory`."""
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environment = (entry / "environ").read_bytes()
            cwd = os.readlink(entry / "cwd")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if b"VIBE_ENSEMBLE_WORKER_ID=" in environment and cwd.startswith(str(directory)) and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.fixture
def server(start_server):
    """A server for tests that need no workers: tickets wait on the backlog instead of spawning claude."""
    return start_server(extra=("--no-auto-spawn",))


@pytest.fixture
def project_dir(tmp_path) -> pathlib.Path:
    directory = tmp_path / "repo"
    directory.mkdir()
    return directory.resolve()


@pytest.fixture(scope="session")
def claude_binary() -> pathlib.Path:
    import claude_agent_sdk

    path = pathlib.Path(claude_agent_sdk.__file__).parent / "_bundled" / "claude"
    assert path.exists(), f"the claude-agent-sdk wheel has no bundled claude at {path}"
    return path


@pytest.fixture
def claude_env(tmp_path) -> dict[str, str]:
    """An environment for `claude` that never touches the user's config or the network."""
    home = tmp_path / "claude-home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ANTHROPIC_", "CLAUDE"))}
    env.update(
        HOME=str(home),
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1",
        ANTHROPIC_API_KEY="test-key-not-used",
        ANTHROPIC_BASE_URL=f"http://127.0.0.1:{free_port()}",
    )
    return env


def tool_json(result) -> dict:
    """The structured content of a successful MCP tool result."""
    assert not result.is_error, result.content
    assert result.structured_content is not None
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


def have_curl() -> bool:
    return shutil.which("curl") is not None


@pytest.fixture
def worker_server(start_server, claude_binary, claude_env, tmp_path):
    """Starts a fake model and a server whose workers are real `claude` processes talking to it."""
    models = []

    def start(script: Script | None = None, extra: tuple[str, ...] = (), database=None, port=None):
        model = FakeModel(script).__enter__()
        models.append(model)
        env = {**claude_env, "ANTHROPIC_BASE_URL": model.url}
        server = start_server(
            database=database, port=port, env=env,
            extra=("--claude-path", str(claude_binary), "--data-dir", str(tmp_path / "data"), *extra))
        return server, model

    yield start
    for model in models:
        model.__exit__(None, None, None)
