#!/bin/bash
# The Slurm array job of docs/sweeps.md: shard i of SHARDS of a sweep per array task, each in its
# own folder, resumable. Submit from the repository root (after `mkdir -p logs`):
#
#   sbatch examples/slurm-sweep.sh                       # the Met sweep below, 32 shards
#   sbatch --array=7 examples/slurm-sweep.sh             # resubmit task 7 alone: it resumes
#   sbatch --array=1-8 --export=ALL,SHARDS=8 examples/slurm-sweep.sh
#
# Every variable below can be set in the environment (sbatch passes it on). SHARDS must equal
# the size of the whole array (not $SLURM_ARRAY_TASK_COUNT, which is 1 when one task is
# resubmitted). Tests/WorkforceCLITests/SlurmTests.swift runs this file on a one-node cluster.
#SBATCH --job-name=met-sweep
#SBATCH --array=1-32
#SBATCH --cpus-per-task=4
#SBATCH --time=02:00:00
#SBATCH --requeue
#SBATCH --output=logs/sweep-%A_%a.out
set -euo pipefail
WORKFORCE=${WORKFORCE:-.build/release/workforce}
SCENARIO=${SCENARIO:-Scenarios/met-action-plan.yaml}
VARY1=${VARY1:-'recruitment[0].ethnicity[1].shares.BAME.share.value=0.30:0.50:0.02'}
VARY2=${VARY2:-'leaving.multipliers[0].factor=1:1.3:0.1'}
REPLICATIONS=${REPLICATIONS:-1000}
SHARDS=${SHARDS:-32}
PARTS=${PARTS:-sweeps}   # each task writes $PARTS/<scenario>-sweep-shard-i-of-n/
srun "$WORKFORCE" sweep "$SCENARIO" --vary "$VARY1" --vary "$VARY2" \
  --replications "$REPLICATIONS" --threads "${SLURM_CPUS_PER_TASK:-1}" \
  --shard "$SLURM_ARRAY_TASK_ID/$SHARDS" --out "$PARTS"
