"""Requests on the wire: one HTTP request per connection, and raw bytes for what http.client cannot send."""

import http.client
import json
import socket

INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}
MCP_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
WIRE_TIMEOUT = 30


def request(server, method="POST", body=None, headers=None, path="/mcp", authorized=True):
    """One request on its own connection; it carries the coordinator token unless `authorized` is false."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WIRE_TIMEOUT)
    payload = body if isinstance(body, (str, bytes)) or body is None else json.dumps(body)
    headers = {"Content-Type": "application/json"} if headers is None else headers
    connection.request(method, path, body=payload, headers={**(server.auth_headers() if authorized else {}), **headers})
    response = connection.getresponse()
    data = response.read().decode()
    connection.close()
    return response, data


def sse_message(data: str) -> dict:
    return json.loads(next(line[len("data: "):] for line in data.splitlines() if line.startswith("data: {")))


def json_rpc_answer(response, data: str) -> dict:
    """The JSON-RPC message of a response, whether sent as JSON or as one SSE message."""
    if (response.getheader("Content-Type") or "").startswith("text/event-stream"):
        return sse_message(data)
    return json.loads(data)


def open_session(server) -> str:
    response, _ = request(server, body=INITIALIZE, headers=MCP_HEADERS)
    assert response.status == 200
    session = response.getheader("Mcp-Session-Id")
    request(server, body={"jsonrpc": "2.0", "method": "notifications/initialized"},
            headers={**MCP_HEADERS, "Mcp-Session-Id": session})
    return session


class RawAnswer:
    """A response read off a raw socket: status, lower-cased headers, body, and whether the server closed."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes, closed: bool):
        self.status, self.headers, self.body, self.closed = status, headers, body, closed

    def json(self) -> dict:
        return json.loads(self.body)


def raw_exchange(port: int, head: str, body: bytes = b"", timeout: float = 10) -> RawAnswer:
    """Sends `head` (request line and headers, CRLF-separated, without the blank line) and `body` as
    they are, reads one response by its Content-Length, then whether the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head.encode() + b"\r\n\r\n" + body)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = sock.recv(65536)
            assert chunk, f"the connection closed before a response head: {received!r}"
            received += chunk
        head_bytes, rest = received.split(b"\r\n\r\n", 1)
        status_line, *header_lines = head_bytes.decode("latin-1").split("\r\n")
        headers = {name.strip().lower(): value.strip()
                   for name, value in (line.split(":", 1) for line in header_lines)}
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = sock.recv(65536)
            assert chunk, f"the connection closed inside the body: {rest!r}"
            rest += chunk
        try:
            closed = sock.recv(1) == b""  # a keep-alive connection would wait here until `timeout`
        except socket.timeout:
            closed = False
        return RawAnswer(int(status_line.split()[1]), headers, rest[:length], closed)
