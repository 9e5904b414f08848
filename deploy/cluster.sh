#!/usr/bin/env bash
# EspacePro's local cluster, on loopback addresses only:
#
#   127.0.0.1:8443 (CLUSTER_HTTPS_PORT)   nginx, TLS (self-signed), load balancer
#   127.0.0.1:8444 (CLUSTER_SINGLE_PORT)  nginx, the same but node 1 alone (benchmarks)
#   127.0.0.2:5000, 127.0.0.3:5000        the two EspacePro nodes (Production, PostgreSQL)
#   127.0.0.4:5432 (CLUSTER_PG_PORT)      PostgreSQL, a throwaway cluster (unless CLUSTER_PG is set)
#   127.0.0.5:2525 (CLUSTER_SMTP_PORT)    the SMTP sink (tools/SmtpSink), one file per mail
#
#   deploy/cluster.sh run            in the foreground; Ctrl-C (or the end of CLUSTER_PARENT) stops all
#   deploy/cluster.sh start          the same in the background, returns once every part answers
#   deploy/cluster.sh stop           stops what start started
#   deploy/cluster.sh status         what runs, and the sink's count of mails
#   deploy/cluster.sh kill-node N    SIGKILL of node N (1 or 2), for failure drills
#   deploy/cluster.sh start-node N   starts node N again
#   deploy/cluster.sh stop-sink      stops the SMTP sink (the relay is down: mail waits in the outbox)
#   deploy/cluster.sh start-sink     starts it again
#   deploy/cluster.sh migrate        applies the migrations with the nodes' settings, then exits
#
# Settings (environment): CLUSTER_DIR (state, logs, pid files; default /tmp/espacepro-cluster),
# the ports above, CLUSTER_PG (an existing server's connection string, database included),
# CLUSTER_APP_DLL (an EspacePro.Web.dll to run instead of publishing; CLUSTER_CONTENT_ROOT then
# says where its web assets are), CLUSTER_SINK_DLL, CLUSTER_NODE_ENV / CLUSTER_NODE1_ENV /
# CLUSTER_NODE2_ENV (extra KEY=VALUE settings, space-separated, for both nodes or one),
# CLUSTER_PARENT (a pid: the cluster stops when it ends), CLUSTER_LIFETIME (seconds, then it
# stops by itself; default 8 hours), CLUSTER_NODE1_CPU / CLUSTER_NODE2_CPU (taskset core lists),
# CLUSTER_PG_OPTIONS (extra postgres -c settings of the script's own PostgreSQL, e.g. to load
# pg_stat_statements for a measurement).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

DIR=${CLUSTER_DIR:-/tmp/espacepro-cluster}
ENV_FILE=$DIR/cluster.env
die() { echo "cluster: $*" >&2; exit 1; }
say() { echo "cluster: $*" >&2; }

# Everything computed at "run" is written to cluster.env, so that the other commands (another
# process) act on the same cluster.
load_env() {
  [ -f "$ENV_FILE" ] || die "no cluster in $DIR (start one with: deploy/cluster.sh start)"
  # shellcheck disable=SC1090
  . "$ENV_FILE"
}

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
pg_run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

configure() {
  HTTPS_PORT=${CLUSTER_HTTPS_PORT:-8443}
  SINGLE_PORT=${CLUSTER_SINGLE_PORT:-8444}
  NODE_PORT=${CLUSTER_NODE_PORT:-5000}
  PG_PORT=${CLUSTER_PG_PORT:-5432}
  SMTP_PORT=${CLUSTER_SMTP_PORT:-2525}
  NODE1=127.0.0.2:$NODE_PORT NODE2=127.0.0.3:$NODE_PORT
  if [ -n "${CLUSTER_PG:-}" ]; then
    PG_CS=$CLUSTER_PG OWN_PG=0
  else
    PG_CS="Host=127.0.0.4;Port=$PG_PORT;Database=espacepro;Username=postgres;Password=postgres" OWN_PG=1
  fi
  APP_DLL=${CLUSTER_APP_DLL:-$DIR/app/EspacePro.Web.dll}
  CONTENT_ROOT=${CLUSTER_CONTENT_ROOT:-$(dirname "$APP_DLL")}
  SINK_DLL=${CLUSTER_SINK_DLL:-$DIR/sink/SmtpSink.dll}
  NODE_ENV=${CLUSTER_NODE_ENV:-} NODE1_ENV=${CLUSTER_NODE1_ENV:-} NODE2_ENV=${CLUSTER_NODE2_ENV:-}
  NODE1_CPU=${CLUSTER_NODE1_CPU:-} NODE2_CPU=${CLUSTER_NODE2_CPU:-}
  {
    for name in HTTPS_PORT SINGLE_PORT NODE_PORT PG_PORT SMTP_PORT NODE1 NODE2 PG_CS OWN_PG APP_DLL CONTENT_ROOT SINK_DLL \
                NODE_ENV NODE1_ENV NODE2_ENV NODE1_CPU NODE2_CPU; do
      printf '%s=%q\n' "$name" "${!name}"
    done
  } > "$ENV_FILE"
}

# ---------------------------------------------------------------- the parts
build() {
  if [ -z "${CLUSTER_APP_DLL:-}" ] && [ ! -f "$APP_DLL" ]; then
    say "publishing EspacePro (Release) to $DIR/app"
    dotnet publish "$ROOT/src/EspacePro.Web" -c Release -o "$DIR/app" -v q --nologo >"$DIR/logs/publish.log" 2>&1 \
      || { cat "$DIR/logs/publish.log"; die "publish failed"; }
  fi
  if [ -z "${CLUSTER_SINK_DLL:-}" ] && [ ! -f "$SINK_DLL" ]; then
    say "building the SMTP sink"
    dotnet build "$ROOT/tools/SmtpSink" -c Release -o "$DIR/sink" -v q --nologo >"$DIR/logs/sink-build.log" 2>&1 \
      || { cat "$DIR/logs/sink-build.log"; die "SMTP sink build failed"; }
  fi
}

start_pg() {
  [ "$OWN_PG" = 1 ] || return 0
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -x "$bin/initdb" ] || die "PostgreSQL is missing (Debian: apt-get install postgresql)"
  mkdir -p "$DIR/pg"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR/pg"
  if [ ! -d "$DIR/pg/data" ]; then
    pg_run "$bin/initdb -D $DIR/pg/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >"$DIR/logs/initdb.log"
  fi
  pg_run "$bin/pg_ctl -D $DIR/pg/data -l $DIR/pg/postgresql.log -o '-h 127.0.0.4 -p $PG_PORT -k $DIR/pg -c max_connections=200 ${CLUSTER_PG_OPTIONS:-}' -w start" >/dev/null
  echo "$bin" > "$DIR/pg/bin"
  pg_run "$bin/psql -h 127.0.0.4 -p $PG_PORT -U postgres -qtAc \"SELECT 1 FROM pg_database WHERE datname='espacepro'\"" | grep -q 1 \
    || pg_run "$bin/createdb -h 127.0.0.4 -p $PG_PORT -U postgres espacepro"
}

start_sink() {
  dotnet "$SINK_DLL" serve --address 127.0.0.5 --port "$SMTP_PORT" --dir "$DIR/mail" >>"$DIR/logs/sink.log" 2>&1 &
  echo $! > "$DIR/pids/sink.pid"
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.5/$SMTP_PORT") 2>/dev/null && return 0
    running "$DIR/pids/sink.pid" || { cat "$DIR/logs/sink.log"; die "the SMTP sink stopped at start"; }
    sleep 0.2
  done
  die "the SMTP sink does not answer on 127.0.0.5:$SMTP_PORT"
}

# node_env <n>: the node's settings, one KEY=VALUE per line
node_env() {
  local n=$1 address extra cpu
  address=$([ "$n" = 1 ] && echo "$NODE1" || echo "$NODE2")
  cat <<SETTINGS
ASPNETCORE_ENVIRONMENT=Production
ASPNETCORE_CONTENTROOT=$CONTENT_ROOT
ASPNETCORE_URLS=http://$address
Database__Provider=PostgreSQL
ConnectionStrings__EspacePro=$PG_CS
App__PublicBaseUrl=https://127.0.0.1:$HTTPS_PORT
App__BehindProxy=true
App__DataDirectory=$DIR/node$n
Mail__Delivery=Smtp
Mail__Smtp__Host=127.0.0.5
Mail__Smtp__Port=$SMTP_PORT
Mail__Smtp__Security=None
DemoData__Enabled=true
DataProtection__CertificatePath=$DIR/keys/keys.pfx
DataProtection__CertificatePassword=cluster
SETTINGS
  extra="NODE${n}_ENV"
  for setting in $NODE_ENV ${!extra}; do echo "$setting"; done
}

# The certificate that encrypts the data-protection keys at rest: one for the whole cluster,
# made once, outside the database (a node refuses to start without it outside Development).
make_key_certificate() {
  [ -f "$DIR/keys/keys.pfx" ] && return 0
  mkdir -p "$DIR/keys"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$DIR/keys/key.pem" -out "$DIR/keys/cert.pem" -days 30 \
    -subj "/CN=EspacePro data protection" 2>/dev/null
  openssl pkcs12 -export -out "$DIR/keys/keys.pfx" -inkey "$DIR/keys/key.pem" -in "$DIR/keys/cert.pem" -passout pass:cluster
  chmod 600 "$DIR/keys/key.pem" "$DIR/keys/keys.pfx"
}

# start_node <n>: starts node n in the background (ready or not)
start_node() {
  local n=$1 cpu settings=()
  cpu="NODE${n}_CPU"
  make_key_certificate
  mkdir -p "$DIR/node$n"
  mapfile -t settings < <(node_env "$n")
  # The node's own settings only: what the calling shell set for ASP.NET Core stays out.
  ( cd "$(dirname "$APP_DLL")" && exec env -u ASPNETCORE_URLS -u ASPNETCORE_HTTP_PORTS -u ASPNETCORE_HTTPS_PORTS \
      -u DOTNET_URLS -u DOTNET_ENVIRONMENT "${settings[@]}" \
      ${!cpu:+taskset -c "${!cpu}"} dotnet "$APP_DLL" >>"$DIR/logs/node$n.log" 2>&1 ) &
  echo $! > "$DIR/pids/node$n.pid"
}

wait_node() {
  local n=$1 address
  address=$([ "$n" = 1 ] && echo "$NODE1" || echo "$NODE2")
  for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$address/health/ready")" = 200 ] && return 0
    running "$DIR/pids/node$n.pid" || { tail -20 "$DIR/logs/node$n.log"; die "node $n stopped at start"; }
    sleep 0.2
  done
  die "node $n is not ready after 120 s"
}

start_nginx() {
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || die "nginx is missing (Debian: apt-get install nginx-light)"
  local nginx user=""
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  mkdir -p "$DIR/tls" "$DIR/nginx/tmp"
  if [ ! -f "$DIR/tls/cert.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" -days 30 \
      -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
  fi
  if [ "$(id -u)" = 0 ]; then
    # A root master hands requests to unprivileged workers, which need their buffers' folder.
    user="user nobody nogroup;"
    chown -R nobody:nogroup "$DIR/nginx/tmp"
  fi
  sed -e "s|@DIR@|$DIR|g" -e "s|@USER@|$user|" -e "s|@NODE1@|$NODE1|g" -e "s|@NODE2@|$NODE2|g" \
      -e "s|@HTTPS_PORT@|$HTTPS_PORT|g" -e "s|@SINGLE_PORT@|$SINGLE_PORT|g" "$ROOT/deploy/nginx.conf" > "$DIR/nginx/nginx.conf"
  "$nginx" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log" -t -q \
    || die "nginx refused its configuration ($DIR/nginx/nginx.conf)"
  "$nginx" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log"
  for _ in $(seq 1 50); do
    [ -s "$DIR/nginx/nginx.pid" ] && break
    sleep 0.1
  done
  cp "$DIR/nginx/nginx.pid" "$DIR/pids/nginx.pid"
}

# Stops every part whose pid file is there, then PostgreSQL. Safe to run twice.
stop_all() {
  local f pid
  for f in "$DIR"/pids/nginx.pid "$DIR"/pids/node*.pid "$DIR"/pids/sink.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
  done
  for f in "$DIR"/pids/nginx.pid "$DIR"/pids/node*.pid "$DIR"/pids/sink.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  if [ "${OWN_PG:-0}" = 1 ] && [ -f "$DIR/pg/bin" ]; then
    pg_run "$(cat "$DIR/pg/bin")/pg_ctl -D $DIR/pg/data -m fast stop" >/dev/null 2>&1 || true
  fi
}

# ---------------------------------------------------------------- commands
run() {
  mkdir -p "$DIR/pids" "$DIR/logs" "$DIR/mail"
  # PostgreSQL and nginx's workers run as other users when started by root.
  chmod 755 "$DIR"
  rm -f "$DIR/ready"
  configure
  trap 'stop_all; rm -f "$DIR/ready" "$DIR/pids/supervisor.pid"' EXIT
  trap 'exit 0' INT TERM
  build
  start_pg
  start_sink
  # Both nodes at once, as after a deployment: the first to take the database's start-up
  # lock migrates and makes the first data-protection key, the other waits for it.
  start_node 1
  start_node 2
  wait_node 1
  wait_node 2
  start_nginx
  touch "$DIR/ready"
  say "ready: https://127.0.0.1:$HTTPS_PORT/ (nodes $NODE1 and $NODE2, mail in $DIR/mail)"
  local deadline=$((SECONDS + ${CLUSTER_LIFETIME:-28800}))
  while [ $SECONDS -lt $deadline ]; do
    if [ -n "${CLUSTER_PARENT:-}" ] && ! kill -0 "$CLUSTER_PARENT" 2>/dev/null; then
      say "process $CLUSTER_PARENT has ended: stopping"
      exit 0
    fi
    sleep 1
  done
  say "CLUSTER_LIFETIME reached: stopping"
}

start() {
  mkdir -p "$DIR/pids" "$DIR/logs"
  running "$DIR/pids/supervisor.pid" && die "a cluster already runs in $DIR (deploy/cluster.sh stop)"
  rm -f "$DIR/ready"
  setsid "$0" run >"$DIR/logs/cluster.log" 2>&1 < /dev/null &
  echo $! > "$DIR/pids/supervisor.pid"
  for _ in $(seq 1 1800); do
    [ -f "$DIR/ready" ] && { tail -1 "$DIR/logs/cluster.log"; return 0; }
    running "$DIR/pids/supervisor.pid" || { cat "$DIR/logs/cluster.log"; die "the cluster did not start"; }
    sleep 0.2
  done
  die "the cluster is not ready after 6 minutes ($DIR/logs/cluster.log)"
}

stop() {
  if running "$DIR/pids/supervisor.pid"; then
    local pid
    pid=$(cat "$DIR/pids/supervisor.pid")
    kill "$pid"
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    die "the cluster's supervisor ($pid) did not stop"
  fi
  # No supervisor (killed): stop what the pid files name.
  [ -f "$ENV_FILE" ] && load_env
  stop_all
}

status() {
  load_env
  local part
  for part in supervisor sink node1 node2 nginx; do
    if running "$DIR/pids/$part.pid"; then
      echo "$part: running (pid $(cat "$DIR/pids/$part.pid"))"
    else
      echo "$part: stopped"
    fi
  done
  if [ "$OWN_PG" = 1 ]; then
    pg_run "$(cat "$DIR/pg/bin" 2>/dev/null || echo /usr/lib/postgresql/15/bin)/pg_ctl -D $DIR/pg/data status" >/dev/null 2>&1 \
      && echo "postgresql: running (127.0.0.4:$PG_PORT)" || echo "postgresql: stopped"
  fi
  echo "mail: $(dotnet "$SINK_DLL" count --dir "$DIR/mail")"
  echo "entry: https://127.0.0.1:$HTTPS_PORT/"
}

case ${1:-} in
  run) run ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill-node)
    load_env
    [[ ${2:-} =~ ^[12]$ ]] || die "kill-node 1|2"
    kill -9 "$(cat "$DIR/pids/node$2.pid")" ;;
  start-node)
    load_env
    [[ ${2:-} =~ ^[12]$ ]] || die "start-node 1|2"
    running "$DIR/pids/node$2.pid" && die "node $2 already runs"
    start_node "$2"; wait_node "$2"; say "node $2 ready" ;;
  stop-sink)
    load_env
    running "$DIR/pids/sink.pid" || die "the SMTP sink is not running"
    pid=$(cat "$DIR/pids/sink.pid")
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    say "SMTP sink stopped" ;;
  start-sink)
    load_env
    running "$DIR/pids/sink.pid" && die "the SMTP sink already runs"
    start_sink; say "SMTP sink ready" ;;
  migrate)
    load_env
    mapfile -t settings < <(node_env 1)
    ( cd "$(dirname "$APP_DLL")" && env "${settings[@]}" dotnet "$APP_DLL" --migrate-only ) ;;
  *) sed -n '2,28p' "$0"; exit 2 ;;
esac
