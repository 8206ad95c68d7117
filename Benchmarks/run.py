"""The benchmark runner of issue 9: one command, one table of ratios measured in one run.

    .venv/bin/python Benchmarks/run.py [--binary PATH] [--only http,queue,lists,memory] [--quick] [--json PATH]

Without --binary it builds `swift build -c release --product vibe-ensemble` in the repository and
uses .build/release/vibe-ensemble. It builds Benchmarks/echo when its binary is missing and
installs wrk with apt-get when it is missing. Each section is a module of Benchmarks/bench with
`run(binary, quick) -> dict` (its "rows" go into the table; the whole dict into the JSON file).
See Benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time
import traceback

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench.common import format_table, row  # noqa: E402

SECTIONS = {"http": "http_load", "queue": "queue", "lists": "lists", "memory": "memory"}


def _nice() -> list[str]:
    return ["nice", "-n", "19"] if shutil.which("nice") else []


def build_vibe_ensemble() -> str:
    print("building vibe-ensemble (swift build -c release --product vibe-ensemble) …", flush=True)
    subprocess.run([*_nice(), "swift", "build", "-c", "release", "--product", "vibe-ensemble"], cwd=ROOT, check=True)
    binary = ROOT / ".build" / "release" / "vibe-ensemble"
    if not binary.exists():
        sys.exit(f"the build finished but {binary} is missing")
    return str(binary)


def ensure_echo() -> None:
    from bench.http_load import ECHO_BINARY, ECHO_DIR
    if ECHO_BINARY.exists():
        return
    print("building the Hummingbird echo (Benchmarks/echo, swift build -c release) …", flush=True)
    subprocess.run([*_nice(), "swift", "build", "-c", "release"], cwd=ECHO_DIR, check=True)
    if not ECHO_BINARY.exists():
        sys.exit(f"the build finished but {ECHO_BINARY} is missing")


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    print("installing wrk (apt-get install -y -q wrk) …", flush=True)
    if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"]).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    if not shutil.which("wrk"):
        sys.exit("wrk is still missing after apt-get install")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", help="a vibe-ensemble binary to measure (default: build .build/release/vibe-ensemble)")
    ap.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections: " + ",".join(SECTIONS))
    ap.add_argument("--quick", action="store_true", help="shorter runs, one round: a smoke test, not a measurement")
    ap.add_argument("--json", help="where to write the raw results (default: /tmp/vibe-bench-<time>.json)")
    args = ap.parse_args()

    selected = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in selected if s not in SECTIONS]
    if unknown:
        ap.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")

    binary = os.path.abspath(args.binary) if args.binary else build_vibe_ensemble()
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary} is not an executable")
    if "http" in selected:
        ensure_wrk()
        ensure_echo()

    started = time.time()
    results: dict = {"binary": binary, "quick": args.quick, "sections": {}, "started": started,
                     "loadavg_at_start": os.getloadavg(), "cpus": os.cpu_count()}
    rows: list[dict] = []
    failed = []
    for name in selected:
        module_name = f"bench.{SECTIONS[name]}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name != module_name:
                raise
            print(f"== {name}: skipped ({module_name} is not written yet)", flush=True)
            results["sections"][name] = {"skipped": f"{module_name} missing"}
            rows.append(row(name, "(section not available yet)", None))
            continue
        print(f"== {name}", flush=True)
        t0 = time.monotonic()
        try:
            result = module.run(binary, args.quick)
        except Exception as e:  # one broken section must not hide the others
            traceback.print_exc()
            failed.append(name)
            results["sections"][name] = {"error": f"{type(e).__name__}: {e}"}
            rows.append(row(name, f"FAILED: {type(e).__name__}: {e}"[:120], None, goal="runs", met=False))
            continue
        result["seconds"] = time.monotonic() - t0
        results["sections"][name] = result
        rows.extend(result.get("rows", []))
    results["rows"] = rows
    results["seconds"] = time.time() - started
    results["loadavg_at_end"] = os.getloadavg()

    path = pathlib.Path(args.json or f"/tmp/vibe-bench-{time.strftime('%Y%m%d-%H%M%S')}.json")
    path.write_text(json.dumps(results, indent=2, default=str))

    print()
    print(format_table(rows))
    goals = [r for r in rows if r.get("met") is not None]
    print(f"\ngoals and checks met: {sum(1 for r in goals if r['met'])} of {len(goals)}"
          f"{' (--quick: a smoke test, not a measurement)' if args.quick else ''}; raw results: {path}")
    load0, load1 = results["loadavg_at_start"][0], results["loadavg_at_end"][0]
    if max(load0, load1) > 1.0:
        print(f"note: the machine was busy (1-minute load {load0:.1f} at start, {load1:.1f} at the end, "
              f"{os.cpu_count()} CPUs): other work shares the cores, so these numbers are disturbed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
