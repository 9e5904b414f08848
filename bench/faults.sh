#!/usr/bin/env bash
# Faults under the deadline-day mix, each on a cluster of its own that stops at the end:
#
#   bench/faults.sh postgres-restart   pg_ctl restart -m fast under the mix (about 2 minutes)
#   bench/faults.sh smtp-down          the SMTP relay stopped for 2 minutes (about 6 minutes)
#   bench/faults.sh node-kill          node 1 killed, started again 10 s later (about 2 minutes)
#   bench/faults.sh sqlite-disk-full   one node on SQLite on a small tmpfs filled up (root; 2 minutes)
#   bench/faults.sh all
#
# Extra arguments go to bench/deadline.py (e.g. --outage 30, --users 16, --app path/EspacePro.Web.dll).
# Exits non-zero when a check fails. Everything runs on 127.0.0.0/8.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-}; shift || true
run() {
  case $1 in
    postgres-restart|smtp-down|node-kill)
      python3 bench/deadline.py --fault "$1" --users "${FAULT_USERS:-12}" --warmup 10 "${@:2}" ;;
    sqlite-disk-full) python3 bench/disk_full.py "${@:2}" ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
  esac
}
if [ "$name" = all ]; then
  status=0
  for fault in postgres-restart node-kill smtp-down sqlite-disk-full; do run "$fault" "$@" || status=1; done
  exit $status
fi
run "$name" "$@"
