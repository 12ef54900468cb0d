#!/usr/bin/env python3
"""Writes the Met Action Plan scenario with three neutral levers added, for
scripts/met/what-it-takes (issue #13):

  interventions[0]  BAME leaving x f from 2022-04          (f = 1: as now; f = 1/1.3 = 0.77: the
                    override's x1.3 for BAME in the bands under 25 years removed, i.e. retention parity)
  interventions[1]  BAME constables' promotion odds x g    (promotion to Sergeant; g = 1: as now;
                    g ~ 1/0.6 = 1.7: parity with the Sergeant odds of Scenarios/met-action-plan.yaml)
  interventions[2]  BAME sergeants' promotion odds x g     (promotion to Inspector)

Every lever starts at 1, so the scenario runs exactly as met-action-plan.yaml until a lever is
moved with --set or `workforce solve --lever`.  The initial workforce file is referred to by a
path relative to FOLDER, the folder the written file goes to (no machine's absolute path).

Usage:  python3 scripts/met/levers.py Scenarios/met-action-plan.yaml FOLDER > FOLDER/OUT.yaml
"""
import os
import sys

LEVERS = """\
  - name: "Lever: BAME leaving (1 = as now; 0.77 = parity below 25 years' service)"
    from: 2022-04
    ethnicities: BAME
    leaving: 1.0
  - name: "Lever: BAME constables' promotion odds to Sergeant (1 = as now)"
    from: 2022-04
    ranks: Constable
    ethnicities: BAME
    promotion_odds: 1.0
  - name: "Lever: BAME sergeants' promotion odds to Inspector (1 = as now)"
    from: 2022-04
    ranks: Sergeant
    ethnicities: BAME
    promotion_odds: 1.0
"""


def main(path, destination):
    folder = os.path.dirname(os.path.abspath(path))
    out, inserted = [], False
    for line in open(path, encoding="utf-8"):
        if line.startswith("name: "):
            line = 'name: "Met: Action Plan with three levers"\n'
        if line.startswith("title: "):
            line = 'title: "Met action plan with three levers: leaving, recruits, promotion odds"\n'
        if line.strip().startswith("csv: ") and not line.strip()[5:].startswith("/"):
            # Relative to the folder the new scenario is written to, so no machine's path is in it.
            indent = line[: len(line) - len(line.lstrip())]
            target = os.path.relpath(os.path.join(folder, line.strip()[5:]), os.path.abspath(destination))
            line = f"{indent}csv: {target}\n"
        out.append(line)
        if line.rstrip() == "interventions:" and not inserted:
            out.append(LEVERS)
            inserted = True
    if not inserted:
        sys.exit(f"{path}: no top-level 'interventions:' list to add the levers to")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
