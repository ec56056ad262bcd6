#!/usr/bin/env bash
# Starts (or stops) a throwaway one-node Slurm (Debian's slurm-wlm) on localhost for the test suite.
#   eval "$(scripts/test-slurm.sh start)"   # prints the exports the tests read
#   scripts/test-slurm.sh stop
# Installs nothing: munged, slurmctld and slurmd must be on the system (apt-get install slurm-wlm).
# Everything lives under one folder: a generated munge key and socket, slurm.conf, state, spool
# and logs. As root the daemons run as root (SlurmUser=root; munged --force accepts root-owned
# folders); as another user they run as that user. Ports are our own, so a system Slurm is untouched.
set -euo pipefail
root=${HPSEARCH_SLURM_ROOT:-/tmp/hpsearch-test-slurm}
port=${HPSEARCH_SLURM_PORT:-56817}
sbin=/usr/sbin
user=$(id -un)
node=$(hostname -s)
cpus=${HPSEARCH_SLURM_CPUS:-4}

stop() {
  for daemon in slurmd slurmctld munged; do
    if [ -f "$root/$daemon.pid" ]; then
      pid=$(cat "$root/$daemon.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$root/$daemon.pid"
    fi
  done
}

case "${1:-start}" in
  start)
    for tool in munged slurmctld slurmd sbatch; do
      command -v "$tool" >/dev/null || [ -x "$sbin/$tool" ] || { echo "test-slurm.sh: $tool not found (apt-get install slurm-wlm)" >&2; exit 1; }
    done
    stop
    mkdir -p "$root/munge" "$root/state" "$root/spool" "$root/log"
    chmod 700 "$root/munge"
    [ -f "$root/munge/munge.key" ] || dd if=/dev/urandom of="$root/munge/munge.key" bs=1024 count=1 status=none
    chmod 400 "$root/munge/munge.key"
    cat > "$root/slurm.conf" <<EOF
ClusterName=hpsearch-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$root/munge/munge.socket
StateSaveLocation=$root/state
SlurmdSpoolDir=$root/spool
SlurmctldPidFile=$root/slurmctld.pid
SlurmdPidFile=$root/slurmd.pid
SlurmctldLogFile=$root/log/slurmctld.log
SlurmdLogFile=$root/log/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
KillWait=15
MinJobAge=60
SlurmctldTimeout=30
SlurmdTimeout=30
SlurmdParameters=config_overrides
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=2000 State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
    "$sbin/munged" --force --key-file="$root/munge/munge.key" --socket="$root/munge/munge.socket" \
      --pid-file="$root/munged.pid" --log-file="$root/log/munged.log" --seed-file="$root/munge/seed"
    export SLURM_CONF="$root/slurm.conf"
    "$sbin/slurmctld" -c -f "$SLURM_CONF"
    "$sbin/slurmd" -f "$SLURM_CONF"
    # Ready when the node takes jobs (about 5–10 s).
    for _ in $(seq 100); do
      state=$(sinfo -h -N -o %t 2>/dev/null | head -n 1 || true)
      case "$state" in idle|mix|alloc) break ;; esac
      sleep 0.2
    done
    case "$state" in idle|mix|alloc) ;; *) echo "test-slurm.sh: the node did not come up (state '$state'); see $root/log" >&2; exit 1 ;; esac
    echo "export SLURM_CONF='$SLURM_CONF'"
    echo "export HPSEARCH_TEST_SLURM='$root'"
    ;;
  stop)
    stop
    ;;
esac
