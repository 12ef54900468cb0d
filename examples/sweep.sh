#!/usr/bin/env bash
# Run a sweep as shards in parallel on this machine, then merge them (docs/sweeps.md).
#
#   examples/sweep.sh                      # 4 shards of the example scenario's 5 × 3 grid
#   SHARDS=8 REPLICATIONS=1000 examples/sweep.sh
#   WORKFORCE=/path/to/workforce SCENARIO=Scenarios/met-action-plan.yaml \
#     VARY1='recruitment[0].ethnicity[1].shares.BAME.share.value=0.30:0.50:0.05' examples/sweep.sh
#
# Uses GNU parallel when it is installed, plain background jobs otherwise; the same command
# lines work across hosts (parallel --sshloginfile) or as a Slurm array (see docs/sweeps.md).
# Rerun after an interruption: finished points are kept. Exits with the first failing exit code.
set -euo pipefail
cd "$(dirname "$0")/.."

WORKFORCE=${WORKFORCE:-.build/release/workforce}
SCENARIO=${SCENARIO:-Scenarios/example.yaml}
VARY1=${VARY1:-'recruitment[0].ethnicity[1].shares.Asian=0.20:0.40:0.05'}
VARY2=${VARY2:-'leaving.multipliers[0].factor=1,1.15,1.3'}
REPLICATIONS=${REPLICATIONS:-200}
SHARDS=${SHARDS:-4}
OUT=${OUT:-Results/$(basename "${SCENARIO%.*}")-sweep}
PARTS=${PARTS:-$OUT-shards}
STEM=$(basename "${SCENARIO%.*}")

[ -x "$WORKFORCE" ] || { echo "no workforce at $WORKFORCE: run swift build -c release, or set WORKFORCE" >&2; exit 64; }

shard() {  # shard i: its own folder in $PARTS (<stem>-sweep-shard-i-of-n), one thread (the shards share the cores)
  "$WORKFORCE" sweep "$SCENARIO" --vary "$VARY1" --vary "$VARY2" --replications "$REPLICATIONS" \
    --threads 1 --shard "$1/$SHARDS" --out "$PARTS" >/dev/null
}

if command -v parallel >/dev/null; then
  export WORKFORCE SCENARIO VARY1 VARY2 REPLICATIONS SHARDS PARTS
  export -f shard
  parallel --will-cite --halt now,fail=1 shard ::: $(seq 1 "$SHARDS")
else
  pids=()
  for i in $(seq 1 "$SHARDS"); do shard "$i" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid"; done   # set -e: the first failure stops the script
fi

folders=()
for i in $(seq 1 "$SHARDS"); do folders+=("$PARTS/$STEM-sweep-shard-$i-of-$SHARDS"); done
"$WORKFORCE" merge "${folders[@]}" --out "$OUT"
echo
echo "first rows of $OUT/sweep.csv (point, the two inputs, the first target's P(met)):"
head -n 6 "$OUT/sweep.csv" | cut -d, -f1-4
