#!/usr/bin/env bash
# The paper's tables, one command each (docs/experiments.md):
#   experiments/paper/run.sh cpu_side_by_side          # the CPU table of docs/PERFORMANCE.md, with plots
#   experiments/paper/run.sh all                       # every plan of this folder
# Results, tables and figures go to build/paper/<plan>/ (report/report.md). A rerun skips what is
# done; extra arguments go to `batch.py run` (e.g. --force, -j 1, --slurm --shards 8).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 1 ] || { echo "usage: experiments/paper/run.sh PLAN|all [batch.py run options]"; ls experiments/paper/*.json; exit 2; }
what=$1; shift
if [ "$what" = all ]; then plans=(experiments/paper/*.json); else plans=("experiments/paper/${what%.json}.json"); fi
rc=0
for p in "${plans[@]}"; do
  [ -f "$p" ] || { echo "run.sh: $p: no such plan"; exit 2; }
  name=$(basename "$p" .json)
  /usr/bin/python3 experiments/batch.py run "$p" -o "build/paper/$name" --report "$@" || rc=1
done
exit $rc
