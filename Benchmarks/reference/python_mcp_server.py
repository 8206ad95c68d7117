"""The reference server of the HTTP benchmark: the Python `mcp` SDK (2.x, `MCPServer`), a trivial
tool returning the same JSON as vibe-ensemble's `get_ticket`.

    .venv/bin/python Benchmarks/reference/python_mcp_server.py PORT TICKET_JSON_FILE

Streamable HTTP on http://127.0.0.1:PORT/mcp with the SDK's defaults (stateful sessions, SSE
responses, uvicorn, log level warning). One tool, `get_ticket(ticket_id: str)`, answers with the
file's text as the text content and the same document parsed as `structuredContent`, as
vibe-ensemble does; the file is read once, at start.
"""
import json
import pathlib
import sys

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, TextContent


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: python_mcp_server.py PORT TICKET_JSON_FILE")
    port = int(sys.argv[1])
    text = pathlib.Path(sys.argv[2]).read_text()
    document = json.loads(text)

    server = MCPServer("reference", log_level="WARNING")

    @server.tool()
    def get_ticket(ticket_id: str) -> CallToolResult:
        """Return the ticket (always the same document)."""
        return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=document)

    server.run(transport="streamable-http", host="127.0.0.1", port=port)


if __name__ == "__main__":
    main()
