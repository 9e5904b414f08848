#!/usr/bin/env bash
# EspacePro benchmark harness (bench/README.md): one command, one table.
#
#   bench/run.sh            full run (about 20 minutes on 2 cores)
#   bench/run.sh --quick    shorter runs, growth stops at 100,000 spaces (about 7 minutes)
#   bench/run.sh --nodes    scale-out only: logins/s through nginx, one node on one core
#                           against two nodes on a core each (deploy/cluster.sh; 3 minutes)
#   bench/run.sh --telemetry  memory only: peak resident set under logins and pages, without
#                           and with the OTLP exporter (traces and metrics; 4 minutes)
#
# Builds EspacePro in Release, starts it on https://127.0.0.1 (Production environment, so the
# __Host- Secure cookies and every security rule are on) on SQLite and on a throwaway
# PostgreSQL cluster, drives it with wrk, does the same for the ASP.NET Core Identity web
# template generated into a temporary folder, and prints figures, ratios and PASS/FAIL per
# target. Every measured load run follows an unmeasured warm-up of the same load (steady state,
# for the peer too). This machine's speed drifts by 10-20 % within a minute (shared host), so
# each ratio compares runs made side by side: the peer runs from the start; the GET pages and
# the template's login page are measured in alternating slices, the login POST in slices
# alternating with the hash ceiling, the template's login POST right after; the growth test runs
# two instances (1,000 spaces, and the growing one) in alternating slices. wrk shares the cores
# with the servers: the GET comparisons check their responses as a whole (bench/lua/count.lua)
# rather than one by one in Lua. Everything runs on 127.0.0.1; every load run has a fixed
# duration. Logs, wrk outputs and results.txt stay in bench/out/<timestamp>/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

QUICK=0
NODES=0
TELEMETRY=0
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    --nodes) NODES=1 ;;
    --telemetry) TELEMETRY=1 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
# SLICES: how many alternating slices the GET comparisons with the template are measured in.
SLICES=3
if [ $QUICK = 1 ]; then
  D=5; WARM=10; HASH_SECONDS=2; SIZES="1000 100000"; OUTBOX_MAILS=2000; GROWTH_SLICES=4; GROWTH_SECS=2
else
  D=15; WARM=15; HASH_SECONDS=5; SIZES="1000 100000 1000000"; OUTBOX_MAILS=10000; GROWTH_SLICES=8; GROWTH_SECS=4
fi

OUT=$ROOT/bench/out/$(date +%Y%m%dT%H%M%S)
mkdir -p "$OUT"
RESULTS=$OUT/results.txt
: > "$RESULTS"
CORES=$(nproc)
log() { printf '\n== %s\n' "$*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
for tool in wrk openssl python3 curl dotnet; do
  command -v $tool >/dev/null || die "$tool is missing (Debian: apt-get install wrk openssl python3 curl; .NET 10 SDK)"
done
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -x "$PG_BIN/initdb" ] || die "PostgreSQL is missing (Debian: apt-get install postgresql)"

# ---------------------------------------------------------------- cleanup
PIDS=()
PG_DIR=""
PEER_DIR=""
pg_run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$PG_DIR" ]; then pg_run "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$PG_DIR"; fi
  if [ -n "$PEER_DIR" ]; then rm -rf "$PEER_DIR"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
urlencode() { python3 -c 'import sys,urllib.parse; print(urllib.parse.urlencode(list(zip(sys.argv[1::2], sys.argv[2::2]))))' "$@"; }
record() { echo "$*" >> "$RESULTS"; }

# The figures are only meaningful on an otherwise idle machine: say so when it is not.
load=$(cut -d' ' -f1 /proc/loadavg)
if [ "$(echo "$load > 1" | bc)" = 1 ]; then
  echo "bench: WARNING the load average is $load on $CORES cores before the run: other processes compete for the CPU, figures will be low and noisy (the table shows the load average during each run)" >&2
fi
record "variant=machine name=load before=$load"
# Transparent huge pages: libsodium maps an Argon2id hash's 19 MiB afresh on every hash, and
# where the first touch of a fresh 4 KiB page is slow (a virtual machine whose hypervisor
# shadows the page tables), "always" makes a hash several times faster (README, "Hash speed and
# transparent huge pages"). Recorded, not changed.
THP=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || true)
record "variant=machine name=thp mode=${THP:-unknown}"

# ---------------------------------------------------------------- certificate
log "self-signed certificate for 127.0.0.1"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$OUT/key.pem" -out "$OUT/cert.pem" -days 2 \
  -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
openssl pkcs12 -export -out "$OUT/cert.pfx" -inkey "$OUT/key.pem" -in "$OUT/cert.pem" -passout pass:bench
# The data-protection keys are encrypted at rest with a certificate of their own (required
# outside Development), made for the run like the TLS one.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$OUT/keys-key.pem" -out "$OUT/keys-cert.pem" -days 2 \
  -subj "/CN=EspacePro bench data-protection keys" 2>/dev/null
openssl pkcs12 -export -out "$OUT/keys.pfx" -inkey "$OUT/keys-key.pem" -in "$OUT/keys-cert.pem" -passout pass:bench
CERT_ENV=(Kestrel__Endpoints__Https__Certificate__Path="$OUT/cert.pfx" Kestrel__Endpoints__Https__Certificate__Password=bench
  DataProtection__CertificatePath="$OUT/keys.pfx" DataProtection__CertificatePassword=bench)

# ---------------------------------------------------------------- build
log "building EspacePro (Release) and the hash probe"
dotnet publish src/EspacePro.Web -c Release -o "$OUT/app" -v q --nologo >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; die "build failed"; }
dotnet build bench/HashTool -c Release -v q --nologo >>"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; die "build failed"; }
HASHTOOL="dotnet $ROOT/bench/HashTool/bin/Release/net10.0/HashTool.dll"

# ---------------------------------------------------------------- the limit: one hash
log "timing one Argon2id hash (the application's hasher: alone, then with every core hashing, ${HASH_SECONDS}s each)"
read -r HASH_MEDIAN HASH_MEAN HASH_COUNT < <($HASHTOOL time $HASH_SECONDS)
# Under a login storm every core hashes at once, and a hash then takes longer than alone (shared
# caches, memory bandwidth, vCPUs that are hyperthreads of one host core): the ceiling is cores ÷
# the time of one hash measured that way, i.e. the most hashes per second this machine can do.
read -r HASH_RATE HASH_LOADED_MS HASH_LOADED_COUNT < <($HASHTOOL parallel "$CORES" $HASH_SECONDS)
record "variant=machine name=hash median_ms=$HASH_MEDIAN mean_ms=$HASH_MEAN count=$HASH_COUNT cores=$CORES loaded_ms=$HASH_LOADED_MS loaded_rate=$HASH_RATE"
echo "one hash: ${HASH_MEDIAN} ms alone (median of $HASH_COUNT), ${HASH_LOADED_MS} ms with $CORES cores hashing ($HASH_RATE hashes/s)" >&2

# ---------------------------------------------------------------- SMTP sink
SINK_PORT=$(free_port)
# It keeps the « code de sécurité » mails in $OUT/mail: the bench logs in as a person would.
python3 bench/smtp_sink.py --port "$SINK_PORT" --count-file "$OUT/sink.count" --mail-dir "$OUT/mail" &
PIDS+=($!)

# ---------------------------------------------------------------- helpers
APP_PID=""
APP_PORT=""
# start_app <name> <extra env...>: EspacePro in Production on https://127.0.0.1:<free port>
# wrk replays thousands of users from 127.0.0.1: the per-address rate limit is off. The security
# code is on, as in production: a browser the space does not recognise is asked for the code
# mailed to the space (bench/code_login.py reads it in the sink's folder); the login POSTs
# measured come from browsers their space recognises. Variants that replay one login from a
# single cookie jar turn it off with a later argument.
start_app() {
  local name=$1; shift
  APP_PORT=$(free_port)
  mkdir -p "$OUT/$name-data"
  ( cd "$OUT/app" && exec env ASPNETCORE_ENVIRONMENT=Production \
      Kestrel__Endpoints__Https__Url="https://127.0.0.1:$APP_PORT" "${CERT_ENV[@]}" \
      App__PublicBaseUrl="https://127.0.0.1:$APP_PORT" App__DataDirectory="$OUT/$name-data" \
      DemoData__Enabled=true Captcha__Enabled=false RateLimit__Enabled=false \
      Mail__Delivery=Smtp Mail__Smtp__Host=127.0.0.1 Mail__Smtp__Port="$SINK_PORT" Mail__Smtp__Security=None \
      "$@" dotnet EspacePro.Web.dll >"$OUT/$name.log" 2>&1 ) &
  APP_PID=$!
  PIDS+=($APP_PID)
  wait_ready "https://127.0.0.1:$APP_PORT/health/ready" "$OUT/$name.log"
}
wait_ready() {
  for _ in $(seq 1 240); do
    if [ "$(curl -sk -o /dev/null -w '%{http_code}' "$1")" = 200 ]; then return 0; fi
    kill -0 "$APP_PID" 2>/dev/null || { tail -30 "$2"; die "the application stopped at start"; }
    sleep 0.5
  done
  tail -30 "$2"; die "not ready after 120 s: $1"
}
# stop_app <variant> [pid]: records the peak resident set (VmHWM) of the process, then stops it
stop_app() {
  local hwm pid=${2:-$APP_PID}
  hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
  record "variant=$1 name=rss kb=$hwm"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
# ceiling <variant> <slice>: the hash-bound ceiling measured now, with the app idle
ceiling() {
  local rate ms count
  read -r rate ms count < <($HASHTOOL parallel "$CORES" $HASH_SECONDS)
  record "variant=$1 name=ceiling_$2 loaded_rate=$rate loaded_ms=$ms count=$count"
  echo "  $1 ceiling, slice $2: $rate hashes/s ($ms ms per hash, $CORES cores hashing)" >&2
}
# login_vs_ceiling <variant> <wrk arguments...>: the login POST (8 connections) and the hash
# ceiling in alternating slices (which goes first alternates too), after a warm-up of the
# login: the machine's drift weighs on both alike. Records <variant> login (merged slices,
# exact percentiles) and one ceiling_<n> row per slice.
login_vs_ceiling() {
  local v=$1 s files=(); shift
  local secs=$(( D / SLICES )); [ $secs -ge 2 ] || secs=2
  wrk -t1 -c8 -d"${WARM}s" --timeout 10s "$@" >/dev/null 2>&1 || true
  for s in $(seq 1 "$SLICES"); do
    files+=("$OUT/wrk-$v-login.$s.txt")
    if [ $((s % 2)) = 1 ]; then
      ceiling "$v" "$s"; slice "${files[-1]}" 8 "$secs" "$@"
    else
      slice "${files[-1]}" 8 "$secs" "$@"; ceiling "$v" "$s"
    fi
  done
  record_merged "$v" login "$APP_PID" 8 "${files[@]}"
}
# peer_run <variant> <name> <connections> <url> [status.lua args]: the same load on the peer,
# recorded as variant peer_<variant>, right next to EspacePro's
peer_run() {
  local v=$1 name=$2 conns=$3 url=$4; shift 4
  WRK_PID=$PEER_PID bench_wrk "peer_$v" "$name" "$conns" $D "$url" "$@"
}
# page_min_bytes <url> [curl args]: checks that a GET answers 200 and prints the size of its
# response (headers and body) less 1 %: the least a run of full responses averages (count.lua)
page_min_bytes() {
  local url=$1 out; shift
  out=$(curl -sk -o /dev/null -w '%{http_code} %{size_header} %{size_download}' "$@" "$url")
  set -- $out
  [ "$1" = 200 ] || die "GET $url answered $1, not 200"
  echo $(( ($2 + $3) * 99 / 100 ))
}
# alternate <connections> <slices> <seconds> <warm-up seconds> <variant> <name> <pid> <variant>
# <name> <pid>: two loads side by side, A_WRK and B_WRK (wrk arguments: script, headers, URL,
# script arguments), each warmed up, then measured in alternating slices (which side goes first
# alternates too), so that the machine's drift weighs on both alike. Records one merged row
# per side; slices of status.lua print their latency histograms, so their percentiles merge
# exactly.
alternate() {
  local conns=$1 slices=$2 secs=$3 warm=$4 av=$5 an=$6 ap=$7 bv=$8 bn=$9 bp=${10} s a=() b=()
  wrk -t1 -c"$conns" -d"${warm}s" --timeout 10s "${A_WRK[@]}" >/dev/null 2>&1 || true
  wrk -t1 -c"$conns" -d"${warm}s" --timeout 10s "${B_WRK[@]}" >/dev/null 2>&1 || true
  for s in $(seq 1 "$slices"); do
    a+=("$OUT/wrk-$av-$an.$s.txt"); b+=("$OUT/wrk-$bv-$bn.$s.txt")
    if [ $((s % 2)) = 1 ]; then
      slice "${a[-1]}" "$conns" "$secs" "${A_WRK[@]}"; slice "${b[-1]}" "$conns" "$secs" "${B_WRK[@]}"
    else
      slice "${b[-1]}" "$conns" "$secs" "${B_WRK[@]}"; slice "${a[-1]}" "$conns" "$secs" "${A_WRK[@]}"
    fi
  done
  record_merged "$av" "$an" "$ap" "$conns" "${a[@]}"
  record_merged "$bv" "$bn" "$bp" "$conns" "${b[@]}"
}
# slice <output> <connections> <seconds> <wrk arguments...>: one measured slice
slice() {
  local file=$1 conns=$2 secs=$3; shift 3
  WRK_HISTOGRAM=1 wrk -t1 -c"$conns" -d"${secs}s" --timeout 10s --latency "$@" >"$file" 2>&1 || true
}
# get_vs_peer <variant> <name> <url>: a GET of EspacePro (WRK_HEADERS go with it) and the
# template's login page, 16 connections each, alternating. wrk runs with count.lua (no
# per-response Lua: the client's CPU is the servers' too), which checks the responses as a
# whole against each page's size. Records <variant> <name> and peer_<variant> login_page@<name>.
get_vs_peer() {
  local v=$1 name=$2 url=$3 mine_min theirs_min
  local secs=$(( D / SLICES )); [ $secs -ge 3 ] || secs=3
  local peer_url=$PBASE/Identity/Account/Login
  mine_min=$(page_min_bytes "$url" "${WRK_HEADERS[@]}")
  theirs_min=$(page_min_bytes "$peer_url")
  A_WRK=(-s bench/lua/count.lua "${WRK_HEADERS[@]}" "$url" -- "$mine_min")
  B_WRK=(-s bench/lua/count.lua "$peer_url" -- "$theirs_min")
  alternate 16 "$SLICES" "$secs" "$WARM" "$v" "$name" "$APP_PID" "peer_$v" "login_page@$name" "$PEER_PID"
}
# record_merged <variant> <name> <pid> <connections> <wrk outputs...>: one row for the slices
# of a workload
record_merged() {
  local variant=$1 name=$2 pid=$3 conns=$4 line mem; shift 4
  line=$(python3 bench/merge_slices.py "$@") || { cat "$@"; die "wrk failed for $name"; }
  mem=$(awk '/^VmRSS/ {r=$2} /^VmHWM/ {h=$2} END {printf "rss_kb=%s hwm_kb=%s", r, h}' "/proc/$pid/status" 2>/dev/null || true)
  record "variant=$variant name=$name conns=$conns $line load=$(cut -d' ' -f1 /proc/loadavg) $mem"
  echo "  $variant $name: $line" >&2
}
# token <jar> <url>: GETs a form page and prints its anti-forgery token
token() {
  curl -sk -c "$1" -b "$1" "$2" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1
}
# cookie_header <jar>: every cookie of a curl jar as one Cookie header value
cookie_header() { awk -F'\t' 'NF==7 {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$1"; }
# login <jar> <base> <email> <password>: an EspacePro session in <jar>, through the security
# code when the browser is new to the space
login() {
  python3 bench/code_login.py "$2" "$OUT/mail" jar "$1" "$3" "$4" || die "login of $3 failed"
}
# bench_wrk <variant> <name> <connections> <seconds> <url> [status.lua args] [-- extra wrk args]
# (WRK_SCRIPT: another script taking the same arguments, e.g. bench/lua/logins.lua)
bench_wrk() {
  local variant=$1 name=$2 conns=$3 secs=$4 url=$5; shift 5
  local file="$OUT/wrk-$variant-$name.txt"
  # Warm-up first, not measured: the JIT's tiers and the connection pools settle, so the figures
  # are the steady state (the same for the peer).
  wrk -t1 -c"$conns" -d"${WARM}s" --timeout 10s -s "$WRK_SCRIPT" "${WRK_HEADERS[@]}" "$url" -- "$@" >/dev/null 2>&1 || true
  wrk -t1 -c"$conns" -d"${secs}s" --timeout 10s --latency -s "$WRK_SCRIPT" "${WRK_HEADERS[@]}" "$url" -- "$@" >"$file" 2>&1 || true
  local line
  line=$(grep '^BENCH ' "$file" | sed 's/^BENCH //') || { cat "$file"; die "wrk failed for $name"; }
  # The resident set after each run (and the peak so far) show which workload grows the process.
  local mem
  mem=$(awk '/^VmRSS/ {r=$2} /^VmHWM/ {h=$2} END {printf "rss_kb=%s hwm_kb=%s", r, h}' "/proc/${WRK_PID:-$APP_PID}/status" 2>/dev/null || true)
  record "variant=$variant name=$name conns=$conns $line load=$(cut -d' ' -f1 /proc/loadavg) $mem"
  echo "  $variant $name: $line" >&2
}
WRK_HEADERS=()
WRK_SCRIPT=bench/lua/status.lua

# outbox <variant> <insert command> <pending-count command>: mails/s to the SMTP sink
outbox() {
  local variant=$1 insert=$2 pending=$3
  local before after start end left
  before=$(cat "$OUT/sink.count" 2>/dev/null || echo 0)
  eval "$insert"
  start=$(date +%s.%N)
  for _ in $(seq 1 1200); do
    left=$(eval "$pending")
    [ "$left" = 0 ] && break
    sleep 0.1
  done
  end=$(date +%s.%N)
  sleep 0.6
  after=$(cat "$OUT/sink.count")
  record "variant=$variant name=outbox mails=$OUTBOX_MAILS left=$left seconds=$(echo "$end - $start" | bc -l) sink=$((after - before))"
  echo "  $variant outbox: $OUTBOX_MAILS mails in $(echo "$end - $start" | bc -l) s, left $left, sink got $((after - before))" >&2
}

# The login benchmarks go round this many copies of a demo space (bench/clone_spaces.py): one
# space replayed from many connections would have more guesses in flight than its throttle
# allows, and measure refusals.
BENCH_SPACES=256
# clone_spaces <variant>: banc1..banc$BENCH_SPACES@espacepro.test in the variant's database,
# with paul.durand's password
clone_spaces() {
  case $1 in
    sqlite|telemetry_*) python3 bench/clone_spaces.py sqlite "$OUT/$1-data/espacepro.db" paul.durand@espacepro.test "$BENCH_SPACES" ;;
    postgresql) python3 bench/clone_spaces.py postgresql 127.0.0.1 "$PG_PORT" espacepro paul.durand@espacepro.test "$BENCH_SPACES" ;;
    nodes) python3 bench/clone_spaces.py postgresql 127.0.0.4 "$CLUSTER_PG_PORT" espacepro paul.durand@espacepro.test "$BENCH_SPACES" ;;
  esac >/dev/null || die "cloning the bench spaces failed"
}

# workloads <variant>: everything but the captcha and growth, on the running app
workloads() {
  local v=$1 base="https://127.0.0.1:$APP_PORT"
  local jar=$OUT/$v-anon.jar home=$OUT/$v-home.jar
  rm -f "$jar" "$home"

  log "[$v] GET login page, alternating with the template's login page (the reference of both GET targets)"
  get_vs_peer "$v" login_page "$base/connexion"

  log "[$v] GET home page (logged in, one session), alternating with the template's login page; identifiers form"
  login "$home" "$base" lila.rosemonde@espacepro.test Cerisier-Violon-Nuage-2026
  WRK_HEADERS=(-H "Cookie: $(cookie_header "$home")")
  get_vs_peer "$v" home "$base/"
  bench_wrk "$v" identifiers_form 16 $D "$base/gerer-mon-espace/identifiants"
  log "[$v] recap PDF (one connection: the time on one core)"
  bench_wrk "$v" recap_pdf 1 $D "$base/gerer-mon-espace/recapitulatif"
  WRK_HEADERS=()

  log "[$v] login POST (valid credentials, real anti-forgery token), alternating with the hash ceiling; then the template's"
  local t body
  t=$(token "$jar" "$base/connexion")
  clone_spaces "$v"
  # Each space logged in once through its mailed code: the runs replay every space's login from
  # a browser the space recognises (the password step; no code, one device row updated).
  python3 bench/code_login.py "$base" "$OUT/mail" devices "$OUT/$v-devices.txt" banc__N__@espacepro.test \
    Marmotte-Piano-Orage-2026 "$BENCH_SPACES" || die "logging the bench spaces in through their codes failed"
  body=$(urlencode Input.Email banc__N__@espacepro.test Input.Password Marmotte-Piano-Orage-2026 __RequestVerificationToken "$t")
  login_vs_ceiling "$v" -s bench/lua/logins.lua "$base/connexion" -- "302>/" /connexion "$body" "$(cookie_header "$jar")" "$BENCH_SPACES" "$OUT/$v-devices.txt"
  peer_run "$v" login 8 "$PBASE/Identity/Account/Login" "302>/" /Identity/Account/Login "$PEER_BODY" "$PEER_COOKIE"

  # 24 connections: one client address may have at most 30 guesses counted and not yet
  # checked (the per-address throttle), and the previous run's last requests may still be in flight.
  log "[$v] login storm (24 connections) with the home page measured alongside"
  wrk -t1 -c24 -d"$((D + WARM + 4))s" --timeout 10s --latency -s bench/lua/logins.lua "$base/connexion" \
    -- "302>/" /connexion "$body" "$(cookie_header "$jar")" "$BENCH_SPACES" "$OUT/$v-devices.txt" >"$OUT/wrk-$v-storm_login.txt" 2>&1 &
  local storm=$!
  sleep 2
  WRK_HEADERS=(-H "Cookie: $(cookie_header "$home")")
  bench_wrk "$v" home_during_storm 4 $D "$base/"
  WRK_HEADERS=()
  wait $storm || true
  record "variant=$v name=storm_login conns=24 $(grep '^BENCH ' "$OUT/wrk-$v-storm_login.txt" | sed 's/^BENCH //') load=$(cut -d' ' -f1 /proc/loadavg)"

  log "[$v] full password-change POST (sequential client, see seq_client.py)"
  python3 bench/seq_client.py "$APP_PORT" claire.fontaine@espacepro.test Tournesol-Guitare-Brume-2026 $D "$OUT/mail" >"$OUT/seq-$v.txt" 2>&1 \
    || { cat "$OUT/seq-$v.txt"; die "password change failed"; }
  record "variant=$v name=password_change conns=1 $(grep '^BENCH ' "$OUT/seq-$v.txt" | sed 's/^BENCH //') load=$(cut -d' ' -f1 /proc/loadavg)"
  echo "  $v password_change: $(grep '^BENCH ' "$OUT/seq-$v.txt")" >&2
  sleep 3 # let the change mails go out before the outbox measure
}

# ================================================================= telemetry (--telemetry)
# The OTLP exporter keeps spans and metric points in memory until the collector takes them.
# The collector here is unreachable (a closed port): the worst case, where batches wait for
# their retries and are then dropped. The same load, without and with the exporter, in turn.
if [ $TELEMETRY = 1 ]; then
  COLLECTOR="http://127.0.0.1:$(free_port)"
  for round in 1 2; do
    for v in telemetry_off telemetry_otlp; do
      extra=()
      [ $v = telemetry_otlp ] && extra=(Telemetry__OtlpEndpoint="$COLLECTOR")
      log "[$v, round $round] logins (8 connections) then home pages (16 connections), ${D}s each"
      rm -rf "$OUT/$v-data"
      # One login replayed per space with the anti-forgery cookie only: the code step is off.
      start_app "$v" Security__LoginCode__Enabled=false "${extra[@]}"
      clone_spaces "$v"
      base="https://127.0.0.1:$APP_PORT"
      jar=$OUT/$v-anon.jar; rm -f "$jar"
      t=$(token "$jar" "$base/connexion")
      body=$(urlencode Input.Email banc__N__@espacepro.test Input.Password Marmotte-Piano-Orage-2026 __RequestVerificationToken "$t")
      WRK_SCRIPT=bench/lua/logins.lua
      bench_wrk "$v" login_$round 8 $D "$base/connexion" "302>/" /connexion "$body" "$(cookie_header "$jar")" "$BENCH_SPACES"
      WRK_SCRIPT=bench/lua/status.lua
      login "$OUT/$v-home.jar" "$base" lila.rosemonde@espacepro.test Cerisier-Violon-Nuage-2026
      WRK_HEADERS=(-H "Cookie: $(cookie_header "$OUT/$v-home.jar")")
      bench_wrk "$v" home_$round 16 $D "$base/"
      WRK_HEADERS=()
      stop_app "${v}_$round"
    done
  done
  python3 - "$RESULTS" <<'PY' | tee "$OUT/table.txt"
import sys
peak = {}
for line in open(sys.argv[1]):
    fields = dict(p.split("=", 1) for p in line.split() if "=" in p)
    if fields.get("name") == "rss":
        variant, _, round_ = fields["variant"].rpartition("_")
        peak.setdefault(variant, []).append(int(fields["kb"]) / 1024)
off, otlp = max(peak["telemetry_off"]), max(peak["telemetry_otlp"])
print(f"peak RSS without the exporter: {off:.0f} MiB (rounds: {', '.join(f'{x:.0f}' for x in peak['telemetry_off'])})")
print(f"peak RSS with the OTLP exporter (collector unreachable): {otlp:.0f} MiB (rounds: {', '.join(f'{x:.0f}' for x in peak['telemetry_otlp'])})")
print(f"exporter cost: {otlp - off:+.0f} MiB; target <= 250 MiB: {'PASS' if otlp <= 250 else 'FAIL'}")
PY
  exit 0
fi

# ================================================================= scale-out (--nodes)
# One PostgreSQL, the SMTP sink, two nodes pinned to a core each (taskset: each sees one core, so
# each hashes one password at a time) and nginx in front, by deploy/cluster.sh. nginx's second
# port sends everything to node 1 alone: the same login POST through it (one node, core 0) and
# through the balanced port (both nodes, cores 0 and 1), in alternating slices. wrk, nginx and
# PostgreSQL are not pinned: they share the two cores with the nodes.
if [ $NODES = 1 ]; then
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || die "nginx is missing (Debian: apt-get install nginx-light)"
  [ "$CORES" -ge 2 ] || die "--nodes needs two cores"
  log "cluster: PostgreSQL, SMTP sink, node 1 on core 0, node 2 on core 1, nginx (deploy/cluster.sh)"
  export CLUSTER_DIR=$OUT/cluster CLUSTER_APP_DLL=$OUT/app/EspacePro.Web.dll CLUSTER_PARENT=$$ CLUSTER_LIFETIME=1800
  CLUSTER_HTTPS_PORT=$(free_port) CLUSTER_SINGLE_PORT=$(free_port) CLUSTER_NODE_PORT=$(free_port)
  CLUSTER_PG_PORT=$(free_port) CLUSTER_SMTP_PORT=$(free_port)
  export CLUSTER_HTTPS_PORT CLUSTER_SINGLE_PORT CLUSTER_NODE_PORT CLUSTER_PG_PORT CLUSTER_SMTP_PORT
  export CLUSTER_NODE1_CPU=0 CLUSTER_NODE2_CPU=1 CLUSTER_NODE_ENV="Captcha__Enabled=false RateLimit__Enabled=false Security__LoginCode__Enabled=false"
  trap 'deploy/cluster.sh stop >/dev/null 2>&1 || true; cleanup' EXIT
  deploy/cluster.sh start >"$OUT/cluster-start.log" 2>&1 || { cat "$OUT/cluster-start.log"; die "the cluster did not start"; }
  ONE="https://127.0.0.1:$CLUSTER_SINGLE_PORT" TWO="https://127.0.0.1:$CLUSTER_HTTPS_PORT"
  # login_post <base> <jar>: LOGIN_WRK, wrk arguments replaying a valid login POST through <base>
  login_post() {
    local t body
    rm -f "$2"
    t=$(token "$2" "$1/connexion")
    body=$(urlencode Input.Email banc__N__@espacepro.test Input.Password Marmotte-Piano-Orage-2026 __RequestVerificationToken "$t")
    LOGIN_WRK=(-s bench/lua/logins.lua "$1/connexion" -- "302>/" /connexion "$body" "$(cookie_header "$2")" "$BENCH_SPACES")
  }
  clone_spaces nodes
  login_post "$ONE" "$OUT/one.jar"; A_WRK=("${LOGIN_WRK[@]}")
  login_post "$TWO" "$OUT/two.jar"; B_WRK=("${LOGIN_WRK[@]}")
  NODE1_PID=$(cat "$CLUSTER_DIR/pids/node1.pid")
  # 8 connections keep both single-core nodes busy (four logins queued on each) and stay well
  # under the 30 guesses one client address may have in flight (the per-address throttle): the
  # benchmark's single client must not measure refusals.
  log "login POST, 8 connections: one node (core 0) and two nodes (cores 0 and 1), $((SLICES * 2)) alternating slices of ${D}s"
  alternate 8 $((SLICES * 2)) "$D" "$WARM" nodes_1 login "$NODE1_PID" nodes_2 login "$NODE1_PID"
  python3 - "$RESULTS" <<'PY' | tee "$OUT/table.txt"
import re, sys
rows = {}
for line in open(sys.argv[1]):
    fields = dict(p.split("=", 1) for p in line.split() if "=" in p)
    if fields.get("name") == "login" and fields.get("variant") in ("nodes_1", "nodes_2"):
        rate = int(fields["requests"]) / (int(fields["duration_us"]) / 1e6)
        good = re.search(r"302>/=(\d+)", fields["statuses"])
        rows[fields["variant"]] = (rate, fields, int(good.group(1)) if good else 0)
one, two = rows["nodes_1"], rows["nodes_2"]
for name, (rate, f, good) in (("one node ", one), ("two nodes", two)):
    print(f"{name}: {rate:6.1f} logins/s  p50 {int(f['p50_us'])/1000:.1f} ms  p99 {int(f['p99_us'])/1000:.1f} ms  "
          f"({good} of {f['requests']} logged in, {f['errors']} errors)")
ratio = two[0] / one[0]
print(f"ratio: {ratio:.2f}x  target >= 1.6x: {'PASS' if ratio >= 1.6 else 'FAIL'}  (load average {open('/proc/loadavg').read().split()[0]})")
PY
  exit 0
fi

# ================================================================= the peer
log "[peer] ASP.NET Core Identity web template (dotnet new webapp --auth Individual), Release: it runs until the end, idle between its runs"
PEER_DIR=$(mktemp -d /tmp/espacepro-bench-peer.XXXXXX)
( cd "$PEER_DIR" && dotnet new webapp --auth Individual -o Peer >"$OUT/peer-new.log" 2>&1 ) || { cat "$OUT/peer-new.log"; die "dotnet new failed"; }
dotnet publish "$PEER_DIR/Peer" -c Release -o "$PEER_DIR/app" -v q --nologo >"$OUT/peer-build.log" 2>&1 || { cat "$OUT/peer-build.log"; die "peer build failed"; }
grep -q 'UseSqlite' "$PEER_DIR/Peer/Program.cs" || die "the template does not use SQLite any more: adapt the peer set-up"
PEER_PORT=$(free_port)
( cd "$PEER_DIR/app" && exec env ASPNETCORE_ENVIRONMENT=Production \
    Kestrel__Endpoints__Https__Url="https://127.0.0.1:$PEER_PORT" "${CERT_ENV[@]}" dotnet Peer.dll >"$OUT/peer.log" 2>&1 ) &
APP_PID=$!
PEER_PID=$APP_PID
PIDS+=($PEER_PID)
wait_ready "https://127.0.0.1:$PEER_PORT/Identity/Account/Login" "$OUT/peer.log"
PBASE="https://127.0.0.1:$PEER_PORT"
PEER_EMAIL=banc@espacepro.test PEER_PASSWORD=Colibri-Sapin-Rivage-Banc-2026
jar=$OUT/peer-register.jar; rm -f "$jar"
t=$(token "$jar" "$PBASE/Identity/Account/Register")
status=$(curl -sk -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' "$PBASE/Identity/Account/Register" \
  --data-urlencode "Input.Email=$PEER_EMAIL" --data-urlencode "Input.Password=$PEER_PASSWORD" \
  --data-urlencode "Input.ConfirmPassword=$PEER_PASSWORD" --data-urlencode "__RequestVerificationToken=$t")
[ "$status" = 302 ] || die "peer registration failed (HTTP $status)"
# The template requires a confirmed address and has no mail sender: confirm it in the database.
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE AspNetUsers SET EmailConfirmed=1"); c.commit()' "$PEER_DIR/app/app.db"
# The login POST the peer's runs replay: a real anti-forgery token and its cookie.
jar=$OUT/peer-anon.jar; rm -f "$jar"
t=$(token "$jar" "$PBASE/Identity/Account/Login")
PEER_BODY=$(urlencode Input.Email "$PEER_EMAIL" Input.Password "$PEER_PASSWORD" Input.RememberMe false __RequestVerificationToken "$t")
PEER_COOKIE=$(cookie_header "$jar")
APP_PID=""


# ================================================================= SQLite
log "[sqlite] starting EspacePro on SQLite"
start_app sqlite
workloads sqlite
log "[sqlite] outbox: $OUTBOX_MAILS mails inserted in SQL, drained to the SMTP sink"
SQLITE_DB="$OUT/sqlite-data/espacepro.db"
outbox sqlite "python3 bench/outbox.py insert sqlite '$SQLITE_DB' $OUTBOX_MAILS" "python3 bench/outbox.py pending sqlite '$SQLITE_DB'"
stop_app sqlite

# A login from a browser the space does not recognise stops at the code step: password checked,
# code stored, its mail queued (the sink receives it). Its guess stays counted on the e-mail and
# the address until the code is typed, so one address may leave only a few such logins waiting:
# 4 per demo space, one at a time, well within both allowances.
log "[sqlite] login that sends a security code (code enabled, one connection, 12 logins)"
start_app logincode
sink_before=$(cat "$OUT/sink.count" 2>/dev/null || echo 0)
: >"$OUT/login-code-times.txt"
for round in 1 2 3 4; do
  for who in "paul.durand@espacepro.test Marmotte-Piano-Orage-2026" "lila.rosemonde@espacepro.test Cerisier-Violon-Nuage-2026" \
             "claire.fontaine@espacepro.test Tournesol-Guitare-Brume-2026"; do
    read -r email password <<<"$who"
    jar="$OUT/logincode-$round-$email.jar"
    t=$(token "$jar" "https://127.0.0.1:$APP_PORT/connexion")
    read -r status where secs < <(curl -sk -c "$jar" -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url} %{time_total}\n' \
      "https://127.0.0.1:$APP_PORT/connexion" --data-urlencode "Input.Email=$email" --data-urlencode "Input.Password=$password" \
      --data-urlencode "__RequestVerificationToken=$t")
    [ "$status" = 302 ] && [ "${where##*/connexion/}" = code ] || die "login of $email did not reach the code step (HTTP $status $where)"
    echo "$secs" >>"$OUT/login-code-times.txt"
  done
done
for _ in $(seq 1 100); do
  [ "$(( $(cat "$OUT/sink.count") - sink_before ))" -ge 12 ] && break
  sleep 0.2
done
record "variant=sqlite name=login_code_sent conns=1 $(sort -n "$OUT/login-code-times.txt" | awk '{t[NR]=$1; s+=$1} END {printf "logins=%d rps=%.1f p50_ms=%.1f max_ms=%.1f", NR, NR/s, t[int((NR+1)/2)]*1000, t[NR]*1000}') mails=$(( $(cat "$OUT/sink.count") - sink_before ))"
echo "  sqlite login_code_sent: $(tail -1 "$RESULTS" 2>/dev/null)" >&2
stop_app logincode

log "[sqlite] captcha PNG (captcha enabled, one connection)"
start_app captcha Captcha__Enabled=true Captcha__Lifetime=01:00:00
CAPTCHA_ID=$(curl -sk "https://127.0.0.1:$APP_PORT/connexion" | grep -o '/captcha/[A-Za-z0-9_-]*/image' | head -1)
[ -n "$CAPTCHA_ID" ] || die "no captcha on the login page"
bench_wrk sqlite captcha_png 1 $D "https://127.0.0.1:$APP_PORT$CAPTCHA_ID"
stop_app captcha

# ================================================================= PostgreSQL
log "[postgresql] throwaway cluster"
PG_DIR=$(mktemp -d /tmp/espacepro-bench-pg.XXXXXX)
PG_PORT=$(free_port)
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR"
pg_run "$PG_BIN/initdb -D $PG_DIR/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
pg_run "$PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/log -o '-h 127.0.0.1 -p $PG_PORT -k $PG_DIR' -w start" >/dev/null
# psql_db <database> [psql args]: a statement or script on one database of the cluster
psql_db() { local db=$1; shift; psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" -v ON_ERROR_STOP=1 -qtA "$@"; }
pg_cs() { echo "Host=127.0.0.1;Port=$PG_PORT;Database=$1;Username=postgres;Password=postgres"; }
PG_CS=$(pg_cs espacepro)

start_app postgresql Database__Provider=PostgreSQL "ConnectionStrings__EspacePro=$PG_CS"
workloads postgresql
log "[postgresql] outbox: $OUTBOX_MAILS mails inserted in SQL, drained to the SMTP sink"
outbox postgresql "python3 bench/outbox.py insert postgresql $PG_PORT $OUTBOX_MAILS" "python3 bench/outbox.py pending postgresql $PG_PORT"

stop_app postgresql

# ---------------------------------------------------------------- growth
# Two instances side by side, each on its own database of the cluster: the reference keeps
# 1,000 bulk-seeded spaces, the other grows through the sizes. At each size both answer in
# alternating slices (one connection each; which side goes first alternates too), so that the
# machine's drift (one hash alone moves by a third within a minute here) weighs on both alike.
# The first size is the control: 1,000 spaces against 1,000, how far apart two identical
# set-ups measure. Percentiles come from the merged latency histograms of the slices.
log "[postgresql] growth: login and home latency with ${SIZES// /, } spaces, side by side with an instance of 1,000"
GROWTH_PASSWORD=Colibri-Sapin-Rivage-Banc-2026
GROWTH_HASH=$($HASHTOOL hash "$GROWTH_PASSWORD")
# Each side replays one space's login from one cookie jar: the code step is off (the password
# step of a browser the space does not know yet, which adds one device row per login).
start_app growth_ref Security__LoginCode__Enabled=false Database__Provider=PostgreSQL "ConnectionStrings__EspacePro=$(pg_cs growth_ref)"
REF_PID=$APP_PID REF_BASE="https://127.0.0.1:$APP_PORT"
start_app growth_big Security__LoginCode__Enabled=false Database__Provider=PostgreSQL "ConnectionStrings__EspacePro=$(pg_cs growth_big)"
BIG_PID=$APP_PID BIG_BASE="https://127.0.0.1:$APP_PORT"
APP_PID=""
# seed <database> <from> <to>: bulk-seeded spaces banc<from>..banc<to>
seed() { psql_db "$1" -v hash="$GROWTH_HASH" -v from="$2" -v to="$3" -f bench/seed_spaces.sql; }
seed growth_ref 1 1000
login "$OUT/growth-ref-home.jar" "$REF_BASE" lila.rosemonde@espacepro.test Cerisier-Violon-Nuage-2026
login "$OUT/growth-big-home.jar" "$BIG_BASE" lila.rosemonde@espacepro.test Cerisier-Violon-Nuage-2026
# login_wrk <side> <base> <e-mail>: LOGIN_WRK, the wrk arguments replaying a valid login POST
login_wrk() {
  local jar=$OUT/growth-$1.jar t body
  rm -f "$jar"
  t=$(token "$jar" "$2/connexion")
  body=$(urlencode Input.Email "$3" Input.Password "$GROWTH_PASSWORD" __RequestVerificationToken "$t")
  LOGIN_WRK=(-s bench/lua/status.lua "$2/connexion" -- "302>/" /connexion "$body" "$(cookie_header "$jar")")
}
seeded=0
warm=$WARM
for size in $SIZES; do
  echo "  seeding spaces $((seeded + 1))..$size" >&2
  seed growth_big $((seeded + 1)) "$size"
  seeded=$size
  total=$(psql_db growth_big -c 'SELECT count(*) FROM "Accounts"')
  reference=$(psql_db growth_ref -c 'SELECT count(*) FROM "Accounts"')
  # A space in the middle of each side's bulk-seeded ones.
  login_wrk ref "$REF_BASE" banc500@espacepro.test; A_WRK=("${LOGIN_WRK[@]}")
  login_wrk big "$BIG_BASE" "banc$(( (size + 1) / 2 ))@espacepro.test"; B_WRK=("${LOGIN_WRK[@]}")
  alternate 1 "$GROWTH_SLICES" "$GROWTH_SECS" "$warm" "growth_ref_$size" login "$REF_PID" "growth_$size" login "$BIG_PID"
  A_WRK=(-s bench/lua/status.lua -H "Cookie: $(cookie_header "$OUT/growth-ref-home.jar")" "$REF_BASE/")
  B_WRK=(-s bench/lua/status.lua -H "Cookie: $(cookie_header "$OUT/growth-big-home.jar")" "$BIG_BASE/")
  alternate 1 "$GROWTH_SLICES" "$GROWTH_SECS" "$warm" "growth_ref_$size" home "$REF_PID" "growth_$size" home "$BIG_PID"
  record "variant=growth_$size name=spaces count=$total reference=$reference"
  warm=5
done
stop_app growth_ref "$REF_PID"
stop_app growth_big "$BIG_PID"

stop_app peer "$PEER_PID"

# ================================================================= report
log "results ($RESULTS)"
python3 bench/report.py "$RESULTS" $QUICK | tee "$OUT/table.txt"
