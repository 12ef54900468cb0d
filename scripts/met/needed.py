#!/usr/bin/env python3
"""Collects the single-lever solves of scripts/met/what-it-takes into one table: what each Action
Plan aim would have needed on its own, with one lever moved from April 2022 (the start of
2022/23) and the others as in the plan.

Each argument is FOLDER=AIM|LEVER, FOLDER holding <scenario>-solve/solve.json (workforce solve
--vary). Writes CSV on stdout; with --markdown, a Markdown table instead.

Usage:  python3 scripts/met/needed.py [--markdown] 'DIR=aim|lever' ...
"""
import csv
import glob
import json
import os
import sys


def row(spec):
    folder, label = spec.split("=", 1)
    aim, lever = label.split("|", 1)
    files = glob.glob(os.path.join(folder, "*-solve", "solve.json"))
    if len(files) != 1:
        sys.exit(f"{folder}: expected one */solve.json, found {len(files)}")
    s = json.load(open(files[0], encoding="utf-8"))
    verdict = s["verdict"]
    value = s.get("value")
    bracket = s.get("bracket") or [None, None]
    error = s.get("monte_carlo_error")
    low, high = s["range"]
    if verdict == "found":
        needed = f"{value:.3g} (bracket {bracket[0]:.3g} to {bracket[1]:.3g}" + (f"; Monte Carlo error ±{error:.2g})" if error else ")")
    elif verdict == "met-throughout-range":
        needed = f"nothing: met with P ≥ {s['probability']:g} anywhere in {low:g} to {high:g}, the plan's other levers suffice"
    else:
        needed = f"out of reach with this lever alone: not within {low:g} to {high:g} (best P = {s['probability_at_value']:.0%})"
    return {
        "aim": aim, "lever": lever, "verdict": verdict, "needed": "" if value is None else value,
        "bracket_low": "" if bracket[0] is None else bracket[0], "bracket_high": "" if bracket[1] is None else bracket[1],
        "monte_carlo_error": "" if error is None else error, "range": f"{low:g}:{high:g}",
        "replications": s["replications"], "in_words": needed,
    }


def main(args):
    markdown = args[:1] == ["--markdown"]
    rows = [row(a) for a in (args[1:] if markdown else args)]
    if markdown:
        print("| aim | lever (from April 2022, alone) | needed for P ≥ 0.8 |")
        print("|---|---|---|")
        for r in rows:
            print(f"| {r['aim']} | {r['lever']} | {r['in_words']} |")
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
