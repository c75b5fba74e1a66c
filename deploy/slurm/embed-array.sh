#!/usr/bin/env bash
# Embeds a whole catalogue into a named collection as a Slurm array job: one task per shard.
#
#   sbatch --array=0-15 deploy/slurm/embed-array.sh /shared/covers backlist-2026
#
# Slurm sets SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT; CoverLens takes
# the shard index (ID − MIN) and the shard count from them, so the array's size is the only place
# N is given. A task that fails can be resubmitted alone (sbatch --array=5 …): it finishes its
# shard without redoing or duplicating what was written. Watch progress from anywhere with
#   coverlens store status --collection backlist-2026
#
# The password comes from ~/.pgpass (mode 600) on the shared home, or PGPASSWORD set by your
# site's secret mechanism; never put it in COVERLENS_STORE.
#SBATCH --job-name=coverlens-embed
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=04:00:00
#SBATCH --output=coverlens-embed-%A_%a.log
set -euo pipefail

COVERS=${1:?usage: sbatch --array=0-N embed-array.sh COVERS_DIR COLLECTION}
COLLECTION=${2:?usage: sbatch --array=0-N embed-array.sh COVERS_DIR COLLECTION}
export COVERLENS_STORE=${COVERLENS_STORE:-postgresql://coverlens@db.example.org:5432/covers?sslmode=require}

exec coverlens embed "$COVERS" --collection "$COLLECTION" --threads "${SLURM_CPUS_PER_TASK:-2}"
