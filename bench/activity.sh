#!/usr/bin/env bash
# « Activité de mon espace » as the table grows: the journal's cost from 1,000 to 1,000,000
# spaces, side by side (PostgreSQL).
#
#   bench/activity.sh            sizes 1,000 / 100,000 / 1,000,000 spaces (8 slices of 4 s)
#   bench/activity.sh --quick    sizes 1,000 / 100,000 (4 slices of 2 s)
#
# The method of bench/run.sh's growth test: two instances of EspacePro (Release, Production,
# https://127.0.0.1) on two databases of a throwaway cluster; the reference keeps 1,000
# bulk-seeded spaces (bench/seed_spaces.sql), the other grows through the sizes. Every seeded
# space also gets 5 audit events over the last year (bench/seed_activity.sql), so the audit
# table grows with the spaces (5,000,000 rows at the largest size). On each side one space in
# the middle of the seeded ones, with a history of more than two journal pages
# (bench/history_for.sql), logs in; its /gerer-mon-espace/activite is then measured in
# alternating slices (one connection each, which side goes first alternates), percentiles from
# the merged histograms (bench/merge_slices.py). At each size the journal's own query, as the
# application sent it (captured from PostgreSQL's log), is run under EXPLAIN (ANALYZE, BUFFERS)
# on both sides: the plan and the buffers it touches do not depend on the machine's noise.
# Everything runs on 127.0.0.1; every load run has a fixed duration. Output: bench/out/activity-<timestamp>/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

QUICK=0
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
if [ $QUICK = 1 ]; then
  SIZES="1000 100000"; SLICES=4; SECS=2; WARM=5
else
  SIZES="1000 100000 1000000"; SLICES=8; SECS=4; WARM=10
fi
PER_SPACE=5

OUT=$ROOT/bench/out/activity-$(date +%Y%m%dT%H%M%S)
mkdir -p "$OUT"
RESULTS=$OUT/results.txt
: > "$RESULTS"
log() { printf '\n== %s\n' "$*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }
record() { echo "$*" >> "$RESULTS"; }

for tool in wrk openssl python3 curl dotnet psql; do
  command -v $tool >/dev/null || die "$tool is missing (Debian: apt-get install wrk openssl python3 curl postgresql; .NET 10 SDK)"
done
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -x "$PG_BIN/initdb" ] || die "PostgreSQL is missing (Debian: apt-get install postgresql)"
record "variant=machine name=load before=$(cut -d' ' -f1 /proc/loadavg)"

PIDS=()
PG_DIR=""
pg_run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$PG_DIR" ]; then pg_run "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$PG_DIR"; fi
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

log "self-signed certificate for 127.0.0.1, Release build"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$OUT/key.pem" -out "$OUT/cert.pem" -days 2 \
  -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
openssl pkcs12 -export -out "$OUT/cert.pfx" -inkey "$OUT/key.pem" -in "$OUT/cert.pem" -passout pass:bench
dotnet publish src/EspacePro.Web -c Release -o "$OUT/app" -v q --nologo >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; die "build failed"; }
dotnet build bench/HashTool -c Release -v q --nologo >>"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; die "build failed"; }
HASHTOOL="dotnet $ROOT/bench/HashTool/bin/Release/net10.0/HashTool.dll"

log "throwaway PostgreSQL cluster"
PG_DIR=$(mktemp -d /tmp/espacepro-bench-pg.XXXXXX)
PG_PORT=$(free_port)
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR"
pg_run "$PG_BIN/initdb -D $PG_DIR/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
pg_run "$PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/log -o '-h 127.0.0.1 -p $PG_PORT -k $PG_DIR' -w start" >/dev/null
psql_db() { local db=$1; shift; psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" -v ON_ERROR_STOP=1 -qtA "$@"; }
pg_cs() { echo "Host=127.0.0.1;Port=$PG_PORT;Database=$1;Username=postgres;Password=postgres"; }

# start_app <name> <database>: EspacePro in Production on https://127.0.0.1:<free port>; sets APP_PID, APP_BASE
start_app() {
  local name=$1 port; port=$(free_port)
  mkdir -p "$OUT/$name-data"
  ( cd "$OUT/app" && exec env ASPNETCORE_ENVIRONMENT=Production \
      Kestrel__Endpoints__Https__Url="https://127.0.0.1:$port" \
      Kestrel__Endpoints__Https__Certificate__Path="$OUT/cert.pfx" Kestrel__Endpoints__Https__Certificate__Password=bench \
      App__PublicBaseUrl="https://127.0.0.1:$port" App__DataDirectory="$OUT/$name-data" \
      DemoData__Enabled=true Captcha__Enabled=false Mail__Delivery=Directory Mail__Directory="$OUT/$name-data/mail" \
      Database__Provider=PostgreSQL "ConnectionStrings__EspacePro=$(pg_cs "$2")" \
      dotnet EspacePro.Web.dll >"$OUT/$name.log" 2>&1 ) &
  APP_PID=$!
  PIDS+=($APP_PID)
  APP_BASE="https://127.0.0.1:$port"
  for _ in $(seq 1 240); do
    if [ "$(curl -sk -o /dev/null -w '%{http_code}' "$APP_BASE/health/ready")" = 200 ]; then return 0; fi
    kill -0 "$APP_PID" 2>/dev/null || { tail -30 "$OUT/$name.log"; die "the application stopped at start"; }
    sleep 0.5
  done
  die "not ready after 120 s"
}
# login <jar> <base> <email> <password>: an EspacePro session in <jar>
login() {
  local t status
  rm -f "$1"
  t=$(curl -sk -c "$1" -b "$1" "$2/connexion" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
  status=$(curl -sk -c "$1" -b "$1" -o /dev/null -w '%{http_code}' "$2/connexion" \
    --data-urlencode "Input.Email=$3" --data-urlencode "Input.Password=$4" --data-urlencode "__RequestVerificationToken=$t")
  [ "$status" = 302 ] || die "login of $3 failed (HTTP $status)"
}
cookie_header() { awk -F'\t' 'NF==7 {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$1"; }
slice() {
  local file=$1; shift
  WRK_HISTOGRAM=1 wrk -t1 -c1 -d"${SECS}s" --timeout 10s --latency "$@" >"$file" 2>&1 || true
}
# measure <size>: the two activity pages in alternating slices, one merged row per side
measure() {
  local size=$1 s a=() b=()
  local A=(-s bench/lua/status.lua -H "Cookie: $(cookie_header "$OUT/ref.jar")" "$REF_BASE/gerer-mon-espace/activite")
  local B=(-s bench/lua/status.lua -H "Cookie: $(cookie_header "$OUT/big.jar")" "$BIG_BASE/gerer-mon-espace/activite")
  wrk -t1 -c1 -d"${WARM}s" "${A[@]}" >/dev/null 2>&1 || true
  wrk -t1 -c1 -d"${WARM}s" "${B[@]}" >/dev/null 2>&1 || true
  for s in $(seq 1 "$SLICES"); do
    a+=("$OUT/wrk-ref-$size.$s.txt"); b+=("$OUT/wrk-big-$size.$s.txt")
    if [ $((s % 2)) = 1 ]; then slice "${a[-1]}" "${A[@]}"; slice "${b[-1]}" "${B[@]}"
    else slice "${b[-1]}" "${B[@]}"; slice "${a[-1]}" "${A[@]}"; fi
  done
  record "variant=activity_ref_$size name=activity $(python3 bench/merge_slices.py "${a[@]}")"
  record "variant=activity_$size name=activity $(python3 bench/merge_slices.py "${b[@]}")"
}
# explain <database> <base> <jar> <label>: EXPLAIN (ANALYZE, BUFFERS) of the journal query the
# application sends, taken from the server's log for one page view of that database
explain() {
  local db=$1 base=$2 jar=$3 label=$4 mark
  # The throwaway cluster logs every statement while one page is asked (a reload reaches the
  # pool's open connections too), then goes back to logging nothing.
  psql_db postgres -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 1
  mark=$(wc -c < "$PG_DIR/log")
  curl -sk -o /dev/null -H "Cookie: $(cookie_header "$jar")" "$base/gerer-mon-espace/activite"
  psql_db postgres -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" >/dev/null
  tail -c +"$((mark + 1))" "$PG_DIR/log" > "$OUT/pglog-$label.txt"
  python3 - "$OUT/pglog-$label.txt" > "$OUT/journal-$label.sql" <<'PY'
import re, sys
# One record per log entry: a line that starts with a timestamp, then its continuation lines.
records, current = [], []
for line in open(sys.argv[1]):
    if re.match(r"\d{4}-\d\d-\d\d ", line) and current:
        records.append("".join(current)); current = []
    current.append(line)
records.append("".join(current))
sql = params = None
for i, record in enumerate(records):
    m = re.search(r"execute [^:]*: (SELECT .*)", record, re.S)
    if m and 'FROM "AuditEvents"' in m.group(1):
        sql = m.group(1)
        following = records[i + 1] if i + 1 < len(records) else ""
        params = following if "parameters:" in following.lower() else ""
if sql is None:
    sys.exit("no journal query in the log")
values = dict(re.findall(r"(\$\d+) = ('(?:[^']|'')*'|NULL)", params))
for key in sorted(values, key=lambda k: -int(k[1:])):
    sql = sql.replace(key, values[key])
print("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + " ".join(sql.split()) + ";")
PY
  psql_db "$db" -f "$OUT/journal-$label.sql" > "$OUT/plan-$label.txt"
  local rows hits time
  hits=$(grep -o 'Buffers: shared hit=[0-9]*' "$OUT/plan-$label.txt" | head -1 | grep -o '[0-9]*$' || echo 0)
  time=$(sed -n 's/^Execution Time: \([0-9.]*\) ms/\1/p' "$OUT/plan-$label.txt")
  rows=$(psql_db "$db" -c 'SELECT count(*) FROM "AuditEvents"')
  record "variant=$label name=plan audit_rows=$rows buffers_hit=$hits execution_ms=$time index_scan=$(grep -c 'Index Scan.*IX_AuditEvents_AccountId_At' "$OUT/plan-$label.txt" || true)"
}

PASSWORD=Colibri-Sapin-Rivage-Banc-2026
HASH=$($HASHTOOL hash "$PASSWORD")
for db in activity_ref activity_big; do psql_db postgres -c "CREATE DATABASE $db"; done
start_app ref activity_ref; REF_PID=$APP_PID REF_BASE=$APP_BASE
start_app big activity_big; BIG_PID=$APP_PID BIG_BASE=$APP_BASE
seed() {
  psql_db "$1" -v hash="$HASH" -v from="$2" -v to="$3" -f bench/seed_spaces.sql
  psql_db "$1" -v from="$2" -v to="$3" -v per="$PER_SPACE" -f bench/seed_activity.sql
}
log "seeding the reference: 1,000 spaces"
seed activity_ref 1 1000
psql_db activity_ref -v email=banc500@espacepro.test -f bench/history_for.sql
seeded=0
for size in $SIZES; do
  log "$size spaces, side by side with 1,000"
  echo "  seeding spaces $((seeded + 1))..$size" >&2
  seed activity_big $((seeded + 1)) "$size"
  seeded=$size
  middle=$(( (size + 1) / 2 ))
  psql_db activity_big -v email="banc$middle@espacepro.test" -f bench/history_for.sql
  login "$OUT/ref.jar" "$REF_BASE" banc500@espacepro.test "$PASSWORD"
  login "$OUT/big.jar" "$BIG_BASE" "banc$middle@espacepro.test" "$PASSWORD"
  measure "$size"
  explain activity_ref "$REF_BASE" "$OUT/ref.jar" "plan_ref_$size"
  explain activity_big "$BIG_BASE" "$OUT/big.jar" "plan_$size"
  record "variant=activity_$size name=spaces count=$(psql_db activity_big -c 'SELECT count(*) FROM "Accounts"') reference=$(psql_db activity_ref -c 'SELECT count(*) FROM "Accounts"')"
done

log "results ($RESULTS)"
python3 - "$RESULTS" <<'PY' | tee "$OUT/table.txt"
import sys
rows = [dict(p.split("=", 1) for p in line.split()) for line in open(sys.argv[1]) if line.strip()]
def find(variant, name):
    return next((r for r in rows if r["variant"] == variant and r["name"] == name), None)
print("| spaces | audit rows | page p50 | page p99 | reference's p50 / p99 | p99 difference | plan: buffers, time (reference's) |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    if r["name"] != "spaces":
        continue
    size = r["variant"].split("_")[1]
    big, ref = find(f"activity_{size}", "activity"), find(f"activity_ref_{size}", "activity")
    plan, refplan = find(f"plan_{size}", "plan"), find(f"plan_ref_{size}", "plan")
    ms = lambda us: f"{int(us) / 1000:.2f} ms"
    diff = (int(big["p99_us"]) - int(ref["p99_us"])) / int(ref["p99_us"]) * 100
    ok = "" if big["statuses"] == f"200={big['requests']}" and ref["statuses"] == f"200={ref['requests']}" else " (statuses: " + big["statuses"] + " / " + ref["statuses"] + ")"
    print(f"| {int(r['count']):,} | {int(plan['audit_rows']):,} | {ms(big['p50_us'])} | {ms(big['p99_us'])} | {ms(ref['p50_us'])} / {ms(ref['p99_us'])} | {diff:+.1f} %{ok} | "
          f"{plan['buffers_hit']}, {plan['execution_ms']} ms ({refplan['buffers_hit']}, {refplan['execution_ms']} ms); index scan: {'yes' if plan['index_scan'] != '0' else 'NO'} |")
PY
echo "plans: $OUT/plan-*.txt" >&2
