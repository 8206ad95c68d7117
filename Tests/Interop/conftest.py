"""Fixtures that run the real `vibe-ensemble` binary as a child process on a free loopback port."""

import contextlib
import json
import os
import pathlib
import queue
import shutil
import signal
import socket
import subprocess
import threading

import httpx2
import pytest
from fake_model import FakeModel, Script
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("VIBE_ENSEMBLE_BIN", ROOT / ".build" / "debug" / "vibe-ensemble"))
START_TIMEOUT = 30


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes over 20 s (leave it out with -m 'not slow')")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def option_value(arguments: tuple[str, ...], flag: str) -> str | None:
    """The value after `flag` in a command line, or None."""
    arguments = tuple(arguments)
    return arguments[arguments.index(flag) + 1] if flag in arguments[:-1] else None


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def http_client(headers: dict[str, str] | None = None) -> httpx2.AsyncClient:
    """An httpx2 client with the MCP SDK's default timeouts (30 s; 300 s to read a stream) sending `headers`."""
    return httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=300))


@contextlib.asynccontextmanager
async def mcp_client(url: str, headers: dict[str, str] | None = None, **session_options):
    """A Python `mcp` ClientSession (not yet initialised) to `url` whose requests carry `headers`."""
    async with http_client(headers) as client:
        async with streamable_http_client(url, http_client=client) as (read, write):
            async with ClientSession(read, write, **session_options) as session:
                yield session


class ServerProcess:
    """One `vibe-ensemble serve` child; its stderr is collected line by line.

    Unless the test passes its own, the data directory (which holds the coordinator token) is the
    database's directory, so no test ever touches ~/.vibe-ensemble. After start, `token` is the
    coordinator token the server requires (None with --no-auth)."""

    def __init__(self, database: pathlib.Path, port: int | None = None, extra: tuple[str, ...] = (),
                 env: dict[str, str] | None = None):
        self.database = database
        self.port = port or free_port()
        self.extra = tuple(extra)
        # Everything after --port and --database-path, including the data directory.
        self.options = self.extra if "--data-dir" in self.extra else ("--data-dir", str(database.parent), *self.extra)
        self.env = env
        self.token: str | None = None
        self.lines: "queue.Queue[str]" = queue.Queue()
        self.log: list[str] = []
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    @property
    def data_dir(self) -> pathlib.Path:
        return pathlib.Path(option_value(self.options, "--data-dir"))

    @property
    def token_file(self) -> pathlib.Path:
        """The file the coordinator token is read from (the server's default unless the test chose one)."""
        environment = os.environ if self.env is None else self.env
        return pathlib.Path(option_value(self.options, "--auth-token-file")
                            or environment.get("VIBE_ENSEMBLE_AUTH_TOKEN_FILE") or self.data_dir / "coordinator-token")

    def auth_headers(self) -> dict[str, str]:
        """The coordinator's Authorization header ({} when the server runs with --no-auth)."""
        return bearer(self.token) if self.token else {}

    def http_client(self) -> httpx2.AsyncClient:
        """An httpx2 client that sends the coordinator token (pass it to the SDK as `http_client=`)."""
        return http_client(self.auth_headers())

    def session(self, **session_options):
        """`mcp_client` to this server as its coordinator."""
        return mcp_client(self.url, self.auth_headers(), **session_options)

    def _coordinator_token(self) -> str | None:
        if "--no-auth" in self.options:
            return None
        if given := option_value(self.options, "--auth-token"):
            return given
        environment = os.environ if self.env is None else self.env
        if "--auth-token-file" not in self.options and environment.get("VIBE_ENSEMBLE_AUTH_TOKEN"):
            return environment["VIBE_ENSEMBLE_AUTH_TOKEN"]
        return self.token_file.read_text().strip()

    def start(self) -> "ServerProcess":
        self.process = subprocess.Popen(
            [str(BINARY), "serve", "--port", str(self.port), "--database-path", str(self.database), *self.options],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
        )
        threading.Thread(target=self._pump, daemon=True).start()
        self.wait_for_line("Listening")
        self.token = self._coordinator_token()
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


@pytest.fixture(scope="session", autouse=True)
def users_data_dir_is_left_alone():
    """No test may create the user's ~/.vibe-ensemble (every server gets a data dir under tmp_path)."""
    home_data = pathlib.Path.home() / ".vibe-ensemble"
    existed = home_data.exists()
    yield
    assert existed or not home_data.exists(), f"the suite created {home_data}"


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


def trust_project(claude_env: dict[str, str], project: pathlib.Path, server_name: str = "vibe-ensemble") -> None:
    """Marks `project` trusted and its .mcp.json server approved in the temp HOME's ~/.claude.json.

    Claude Code runs a project .mcp.json's headersHelper only in a trusted workspace, and connects a
    project server only once it is approved (otherwise `claude mcp list` says "Pending approval")."""
    config_path = pathlib.Path(claude_env["HOME"]) / ".claude.json"
    config = json.loads(config_path.read_text()) if config_path.exists() else {}
    config.setdefault("projects", {})[str(project)] = {
        "hasTrustDialogAccepted": True, "enabledMcpjsonServers": [server_name]}
    config_path.write_text(json.dumps(config))


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
