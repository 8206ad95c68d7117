"""Server CPU per `tools/call get_ticket` (a ticket with a 3 KB description and 8 reports of 2 KB),
measured from /proc/<pid>/stat over 400 calls in one session, after 50 to warm up.

    .venv/bin/python Benchmarks/tool_call_cpu.py .build/release/vibe-ensemble

A quick A/B probe for one change (run two binaries one after the other); the benchmark runner of
issue 9 will supersede it.
"""
import json, os, subprocess, sys, time, pathlib, socket, http.client, tempfile
binary = sys.argv[1]
tmp = tempfile.mkdtemp()
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
proc = subprocess.Popen([binary, "serve", "--port", str(port), "--data-dir", tmp, "--no-auto-spawn", "--log-level", "error"],
                        stderr=subprocess.DEVNULL)
token = None
for _ in range(200):
    p = pathlib.Path(tmp, "coordinator-token")
    if p.exists() and p.read_text().strip():
        token = p.read_text().strip()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close(); break
        except OSError: pass
    time.sleep(0.05)
H = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream", "Authorization": f"Bearer {token}"}
conn = http.client.HTTPConnection("127.0.0.1", port)
def post(body, session=None):
    h = dict(H)
    if session: h["Mcp-Session-Id"] = session
    conn.request("POST", "/mcp", json.dumps(body), h)
    r = conn.getresponse(); data = r.read()
    return r, data
r, _ = post({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"m","version":"1"}}})
sid = r.getheader("Mcp-Session-Id")
post({"jsonrpc":"2.0","method":"notifications/initialized"}, sid)
n = [10]
def call(name, args):
    n[0] += 1
    return post({"jsonrpc":"2.0","id":n[0],"method":"tools/call","params":{"name":name,"arguments":args}}, sid)
proj = tempfile.mkdtemp()
call("create_project", {"repository_name":"acme/shop","path":proj})
call("create_worker_type", {"project_id":"acme/shop","worker_type":"coder","system_prompt":"Code."})
call("create_ticket", {"project_id":"acme/shop","title":"T","description":"d"*3000,"execution_plan":["coder"]})
for i in range(8):
    call("add_ticket_comment", {"ticket_id":"SHOP-1","worker_type":"coder","worker_id":"coordinator","stage_number":0,"content":("report line %d with words " % i)*80})
def cpu():
    f = open(f"/proc/{proc.pid}/stat").read().rsplit(")",1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
for _ in range(50): call("get_ticket", {"ticket_id":"SHOP-1"})
c0, t0 = cpu(), time.monotonic()
N = 400
for _ in range(N): call("get_ticket", {"ticket_id":"SHOP-1"})
c1, t1 = cpu(), time.monotonic()
print(f"{N} get_ticket: server CPU {1000*(c1-c0)/N:.2f} ms/call, wall {1000*(t1-t0)/N:.2f} ms/call")
proc.terminate(); proc.wait(timeout=30)
