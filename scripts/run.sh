#!/usr/bin/env bash
# `make run`: set-up, a demo database with zoom_training, the Zoom sandbox, and Odoo with queue_job's runner.
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh

RUN_DB="${ZOOM_TRAINING_DB:-zoom_training_demo}"
HTTP_PORT="${ODOO_HTTP_PORT:-8069}"
SANDBOX_PORT="${ZOOM_SANDBOX_PORT:-8790}"
RUN_DIR="$REPO_ROOT/.run"
CONF="$RUN_DIR/odoo.conf"
mkdir -p "$RUN_DIR"

port_busy() { "$PY" -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $1)))"; }
for port in "$HTTP_PORT" "$SANDBOX_PORT"; do
    if port_busy "$port"; then
        die "Port $port on 127.0.0.1 is already in use (another 'make run'?); stop it or set ODOO_HTTP_PORT / ZOOM_SANDBOX_PORT."
    fi
done

KEY_FILE="$RUN_DIR/encryption.key"
if [ ! -s "$KEY_FILE" ]; then
    say "generating the key that encrypts Zoom secrets at rest (.run/encryption.key)"
    ( umask 077; "$PY" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > "$KEY_FILE" )
fi

( umask 077; cat > "$CONF" ) <<CONF
[options]
addons_path = $(addons_path)
db_host = $PGHOST
db_port = $PGPORT
db_user = $ODOO_DB_USER
db_name = $RUN_DB
dbfilter = ^$RUN_DB\$
data_dir = $RUN_DIR/data
http_interface = 127.0.0.1
http_port = $HTTP_PORT
gevent_port = $((HTTP_PORT + 3))
workers = 2
max_cron_threads = 1
server_wide_modules = base,web,queue_job,zoom_training
logfile = $RUN_DIR/odoo.log
zoom_training_encryption_key = $(cat "$KEY_FILE")

[queue_job]
channels = root:2,root.zoom:1
CONF

odoo_conf() { "$PY" "$ODOO_SRC/odoo-bin" -c "$CONF" "$@"; }

installed="$(psql_admin -d "$RUN_DB" -c "select state from ir_module_module where name='zoom_training'" 2>/dev/null || true)"
if [ "$installed" != "installed" ]; then
    say "creating the database $RUN_DB with zoom_training and demo data (about a minute)"
    odoo_conf -i zoom_training --stop-after-init --workers=0
fi

say "starting the Zoom sandbox on 127.0.0.1:$SANDBOX_PORT (log: .run/sandbox.log)"
"$PY" -m zoom_training.sandbox --host 127.0.0.1 --port "$SANDBOX_PORT" \
    --webhook-url "http://127.0.0.1:$HTTP_PORT/webhook/zoom-meeting" \
    --webinar-webhook-url "http://127.0.0.1:$HTTP_PORT/webhook/zoom-webinar" \
    --user host@example.com:licensed:webinar --user trainer@example.com:licensed:webinar \
    > "$RUN_DIR/sandbox.log" 2>&1 &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do port_busy "$SANDBOX_PORT" && break; sleep 0.2; done
port_busy "$SANDBOX_PORT" || die "The Zoom sandbox did not start; see .run/sandbox.log."

say "pointing the demo company at the sandbox"
PYTHONPATH="$ODOO_SRC" "$PY" scripts/configure_demo.py "$CONF" "$RUN_DB" \
    "http://127.0.0.1:$SANDBOX_PORT" "http://127.0.0.1:$HTTP_PORT"

cat >&2 <<MSG

  Odoo:          http://127.0.0.1:$HTTP_PORT   (login: admin, password: admin)
  Zoom sandbox:  http://127.0.0.1:$SANDBOX_PORT  (credentials in .run/sandbox.log)
  Odoo log:      .run/odoo.log                  Stop with Ctrl-C.

MSG
odoo_conf &
odoo_pid=$!
trap 'kill $odoo_pid $sandbox_pid 2>/dev/null || true' EXIT
for _ in $(seq 150); do port_busy "$HTTP_PORT" && break; sleep 0.2; done
say "running the demo training 'Forklift safety' in the sandbox (attendance and recording, about a minute)"
PYTHONPATH="$ODOO_SRC" "$PY" scripts/demo_meeting.py "$CONF" "$RUN_DB" "http://127.0.0.1:$SANDBOX_PORT" \
    || say "the demo meeting could not be run (see above); Odoo keeps running"
wait $odoo_pid
