#!/usr/bin/env python3
"""Drive a sweep through the workforce CLI and read its JSON (Python 3 standard library only).

Runs `workforce sweep` over a grid of two inputs, reads the `--json` summary on stdout to find
sweep.json, and prints the probability that one target is met at each point as a table, then,
for each value of the second input, the smallest value of the first that meets the target with
the probability asked for. See docs/sweeps.md for the files' schemas.

    examples/sweep.py                                     # the example scenario, 200 replications
    examples/sweep.py --replications 1000 --probability 0.9
    examples/sweep.py --scenario Scenarios/met-action-plan.yaml \
        --target "BAME 28% of officers by Dec 2030" \
        --first 'recruitment[0].ethnicity[1].shares.BAME.share.value=0.30:0.50:0.05' \
        --second 'leaving.multipliers[0].factor=1,1.15,1.3'

Exits with the CLI's exit code when the sweep fails (64 usage, 65 invalid input, 70, 73).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys


def find_workforce():
    """The release build in this repository if there is one, else `workforce` on the PATH."""
    here = os.path.dirname(os.path.abspath(__file__))
    built = os.path.join(here, "..", ".build", "release", "workforce")
    return built if os.access(built, os.X_OK) else shutil.which("workforce")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workforce", default=find_workforce(), help="the workforce executable")
    parser.add_argument("--scenario", default="Scenarios/example.yaml")
    parser.add_argument("--target", default="BAME 28% of officers by 2030")
    parser.add_argument("--first", default="recruitment[0].ethnicity[1].shares.Asian=0.20:0.40:0.05",
                        help="the input of the table's rows, as for --vary")
    parser.add_argument("--second", default="leaving.multipliers[0].factor=1,1.15,1.3",
                        help="the input of the table's columns, as for --vary")
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--probability", type=float, default=0.8)
    parser.add_argument("--out", help="output folder (default: the CLI's)")
    args = parser.parse_args()
    if not args.workforce:
        sys.exit("workforce not found: build it (swift build -c release) or pass --workforce")

    command = [args.workforce, "sweep", args.scenario, "--vary", args.first, "--vary", args.second,
               "--replications", str(args.replications), "--json"]
    if args.out:
        command += ["--out", args.out]
    # stderr is inherited: problems (and, on a terminal, the progress bar) show as they come.
    finished = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    if finished.returncode != 0:
        print(f"workforce sweep failed with exit code {finished.returncode}", file=sys.stderr)
        sys.exit(finished.returncode)

    summary = json.loads(finished.stdout)
    if summary["schema"] != "workforce.sweep-run/1":
        sys.exit(f"unexpected summary schema {summary['schema']}; this script reads workforce.sweep-run/1")
    json_path = next(f for f in summary["files"] if f.endswith("sweep.json"))
    with open(json_path, encoding="utf-8") as f:
        sweep = json.load(f)
    if sweep["schema"] != "workforce.sweep/1":
        sys.exit(f"unexpected sweep.json schema {sweep['schema']}; this script reads workforce.sweep/1")

    names = [t["name"] for t in sweep["targets"]]
    if args.target not in names:
        sys.exit(f"no target {args.target!r}; the scenario's targets are: {', '.join(names)}")
    t = names.index(args.target)
    first, second = (p["path"] for p in sweep["definition"]["parameters"])

    # Points are numbered with the last --vary fastest: rows = first input, columns = second.
    rows = sorted({p["values"][0] for p in sweep["points"]})
    columns = sorted({p["values"][1] for p in sweep["points"]})
    met = {tuple(p["values"]): p["targets"][t]["probability_met"] for p in sweep["points"]}

    print(f"{summary['scenario']}: P({args.target}), {summary['points']} points, "
          f"{summary['replications']} replications each ({summary['computed']} computed, "
          f"{summary['kept']} kept), {summary['wall_time_seconds']} s")
    print(f"rows: {first}; columns: {second}")
    width = max(len(f"{c:g}") for c in columns) + 2
    print(" " * 10 + "".join(f"{c:>{width}g}" for c in columns))
    for r in rows:
        print(f"{r:>10g}" + "".join(f"{met[(r, c)]:>{width}.0%}" for c in columns))

    print(f"\nsmallest {first} meeting it with probability ≥ {args.probability:g}:")
    for c in columns:
        enough = [r for r in rows if met[(r, c)] >= args.probability]
        print(f"  {second} = {c:g}: " + (f"{enough[0]:g}" if enough else "none in the grid"))


if __name__ == "__main__":
    main()
