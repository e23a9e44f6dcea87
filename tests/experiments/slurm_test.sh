#!/usr/bin/env bash
# A one-node Slurm brought up inside the test, for experiments/batch.py --slurm (ctest label
# `slurm`; docs/experiments.md). munged on a private socket with a key made here, slurmctld and
# slurmd from a config written here (a temporary folder, private ports on 127.0.0.1), all in the
# foreground of this script's children and stopped by the trap whatever happens. Then: a plan of 6
# real small main jobs (ops/*.tp at 64 x 64, --time-budget 2) submitted as a 3-task array with a
# throttle of 1 (one task at a time), one task cancelled while it waits, the report job (afterany)
# merging what ran; the same command again submits only the cancelled shard; at the end every job
# has a result and results.jsonl has them all.
#   bash tests/experiments/slurm_test.sh build/tools/axon-synth
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$(realpath "${1:-build/tools/axon-synth}")
for exe in munged munge slurmctld slurmd sbatch squeue scancel sinfo; do
  command -v "$exe" >/dev/null || { echo "slurm_test: $exe is not installed (scripts/setup.sh installs slurm-wlm and munge)"; exit 1; }
done
[ -x "$BIN" ] || { echo "slurm_test: $BIN: no axon-synth (build it first)"; exit 1; }
T=$(mktemp -d /tmp/axon_slurm_test.XXXXXX)
PIDS=()
cleanup() {
  local rc=$?
  if [ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ]; then  # cancel what is queued, let the steps end
    scancel --quiet -u "$(id -un)" 2>/dev/null || true
    for _ in $(seq 50); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.2; done
  fi
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  # What the daemons started and left behind (a job step whose slurmd was stopped under it) still
  # holds files of this test's folder open: those processes, and only those, go too.
  local left=()
  for fd in /proc/[0-9]*/fd/*; do
    case $(readlink "$fd" 2>/dev/null) in "$T"/*) p=${fd#/proc/}; left+=("${p%%/*}");; esac
  done
  for p in $(printf '%s\n' "${left[@]}" | sort -u); do
    [ "$p" = $$ ] || { echo "slurm_test: stopping leftover process $p"; kill -9 "$p" 2>/dev/null || true; }
  done
  if [ $rc -ne 0 ]; then
    echo "slurm_test: FAILED (exit $rc); daemon logs:"
    for f in "$T"/munged.log "$T"/slurmctld.log "$T"/slurmd.log "$T"/run/slurm/logs/*; do
      [ -f "$f" ] && { echo "== $f"; tail -n 30 "$f"; }
    done
  fi
  rm -rf "$T"
  exit $rc
}
trap cleanup EXIT
trap 'echo "slurm_test: interrupted"; exit 130' INT TERM
START=$(date +%s)

# munge: a key of our own, a private socket.
dd if=/dev/urandom of="$T/munge.key" bs=1024 count=1 status=none
chmod 400 "$T/munge.key"
munged -F -f --socket="$T/munge.sock" --key-file="$T/munge.key" --pid-file="$T/munged.pid" \
  --log-file="$T/munged.log" --seed-file="$T/munged.seed" > "$T/munged.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -S "$T/munge.sock" ] && break; sleep 0.1; done
munge --socket="$T/munge.sock" -n | unmunge --socket="$T/munge.sock" >/dev/null

# Slurm: one node, this host's cores, ports nobody else uses.
read -r CTLD_PORT SLURMD_PORT < <(/usr/bin/python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
HOST=$(hostname -s)
mkdir -p "$T/state" "$T/spool"
export SLURM_CONF="$T/slurm.conf"
cat > "$SLURM_CONF" <<EOF
ClusterName=axontest
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge.sock
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
SchedulerParameters=sched_interval=2
NodeName=axonnode NodeAddr=127.0.0.1 NodeHostname=$HOST CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=axonnode Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -i -f "$SLURM_CONF" > "$T/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -N axonnode -f "$SLURM_CONF" > "$T/slurmd.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 300); do
  state=$(sinfo -h -n axonnode -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] || { echo "slurm_test: the node did not come up (state '$state')"; exit 1; }
echo "slurm_test: slurm up in $(($(date +%s) - START)) s"

# The plan: six real main jobs, small.
export AXON_CACHE_DIR="$T/cache"
cat > "$T/plan.json" <<EOF
{"name": "slurm-test", "timing": true, "bin": "$BIN",
 "matrix": {"programs": [
   {"path": "experiments/suites/ops/add.tp", "dims": {"M": 64, "N": 64}},
   {"path": "experiments/suites/ops/mul.tp", "dims": {"M": 64, "N": 64}},
   {"path": "experiments/suites/ops/silu.tp", "dims": {"M": 64, "N": 64}},
   {"path": "experiments/suites/ops/gelu.tp", "dims": {"M": 64, "N": 64}},
   {"path": "experiments/suites/ops/sum.tp", "dims": {"M": 64, "N": 64}},
   {"path": "experiments/suites/ops/max.tp", "dims": {"M": 64, "N": 64}}],
  "targets": ["targets/avx2.json"],
  "options": [["--no-cache", "--time-budget", "2", "-j", "1"]]}}
EOF
RUN="$T/run"
B=(/usr/bin/python3 experiments/batch.py)
wait_for() {  # job ids...: until none is in the queue
  for _ in $(seq 1500); do
    [ -z "$(squeue -h -r -j "$(IFS=,; echo "$*")" 2>/dev/null)" ] && return 0
    sleep 0.2
  done
  echo "slurm_test: jobs $* still in the queue after 300 s"; squeue -r; return 1
}
"${B[@]}" run "$T/plan.json" -o "$RUN" --slurm --shards 3 --throttle 1 --measure-lock "$T/measure.lock"
ARRAY=$(tail -1 "$RUN/slurm/submissions.jsonl" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["array_job"])')
REPORT=$(tail -1 "$RUN/slurm/submissions.jsonl" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["report_job"])')
grep -q -- '--exclusive' "$RUN/slurm/array.sh"
scancel "${ARRAY}_2"   # throttle 1: task 2 waits behind tasks 0 and 1
echo "slurm_test: submitted array $ARRAY and report $REPORT; cancelled ${ARRAY}_2"
wait_for "$ARRAY" "$REPORT"
SHARD2=$(/usr/bin/python3 - "$RUN" <<'PY'
import json, sys
sys.path.insert(0, "experiments")
import batch
_, jobs = batch.load_run(sys.argv[1])
print(len(batch.shard_of(jobs, 2, 3)))
PY
)
[ -f "$RUN/report/report.md" ] || { echo "slurm_test: the report job wrote no report"; exit 1; }
lines=$(wc -l < "$RUN/results.jsonl")
[ "$lines" -eq $((6 - SHARD2)) ] || { echo "slurm_test: after the cancel, $lines merged results; expected $((6 - SHARD2))"; exit 1; }
"${B[@]}" status "$RUN" --shards 3 || true
# The same command again: only the cancelled shard is submitted.
"${B[@]}" run "$T/plan.json" -o "$RUN" --slurm --shards 3 --throttle 1 --measure-lock "$T/measure.lock"
tasks=$(tail -1 "$RUN/slurm/submissions.jsonl" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["tasks"])')
[ "$tasks" = "[2]" ] || { echo "slurm_test: resubmitted tasks $tasks; expected [2]"; exit 1; }
ARRAY2=$(tail -1 "$RUN/slurm/submissions.jsonl" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["array_job"])')
REPORT2=$(tail -1 "$RUN/slurm/submissions.jsonl" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["report_job"])')
wait_for "$ARRAY2" "$REPORT2"
"${B[@]}" status "$RUN" --shards 3
/usr/bin/python3 - "$RUN" <<'PY'
import json, pathlib, sys
run = pathlib.Path(sys.argv[1])
rows = [json.loads(l) for l in (run / "results.jsonl").read_text().splitlines()]
assert len(rows) == 6, f"{len(rows)} merged results, expected 6"
assert len({r["job"]["id"] for r in rows}) == 6
bad = [(r["job"]["name"], r["result"].get("why"), r["result"].get("log_tail")) for r in rows if r["result"]["status"] != "ok"]
assert not bad, f"failed jobs: {bad}"
assert all(r["result"]["main"]["best_ms"] > 0 for r in rows)
assert all("--measure-lock" in r["result"]["cmd"] for r in rows)
subs = [json.loads(l) for l in (run / "slurm" / "submissions.jsonl").read_text().splitlines()]
assert [s["tasks"] for s in subs] == [[0, 1, 2], [2]], subs
assert "slurm-test" in (run / "report" / "report.md").read_text()
print("slurm_test: 6 of 6 jobs merged, ok")
PY
echo "slurm_test: passed in $(($(date +%s) - START)) s"
