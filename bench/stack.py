"""The processes under test: a throwaway database, the Zoom sandbox and Odoo (13 workers, queue_job's runner);
or, with `cluster=True`, two Odoo servers on the same database (6 workers each, the runner in the first)
behind nginx configured with docs/nginx/zoom_training.conf (bench/nginx.py).

Everything listens on 127.0.0.1; `Stack` is a context manager that stops what it started and drops the
database, whatever happens in between.
"""

import copy
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
PY = sys.executable
SANDBOX_SECRET = "sandbox_webhook_secret"
ACCOUNT_ID = "sandbox_account"


def env(name, default):
    return os.environ.get(name) or default


class Settings:
    def __init__(self):
        self.plan = env("BENCH_PLAN", "pro")
        self.db = env("BENCH_DB", "zt_bench")
        self.odoo_port = int(env("BENCH_ODOO_PORT", "8569"))
        self.sandbox_port = int(env("BENCH_SANDBOX_PORT", "8591"))
        # Odoo's prefork server listens with a backlog of 8 connections per worker: 13 hold the burst of 100
        # simultaneous deliveries (with fewer, the kernel drops the surplus SYNs and they come 1 s later).
        self.workers = int(env("BENCH_WORKERS", "13"))
        self.cron_threads = int(env("BENCH_CRON_THREADS", "0"))
        self.odoo_src = env("ODOO_SRC", "/opt/odoo-18.0")
        self.pghost, self.pgport = env("PGHOST", "127.0.0.1"), env("PGPORT", "5432")
        self.db_user = env("ODOO_DB_USER", "odoo")
        self.addons_path = os.environ["BENCH_ADDONS_PATH"]
        self.run_dir = RESULTS / "run"
        self.cluster = False
        self.cluster_workers = int(env("BENCH_CLUSTER_WORKERS", "6"))
        self.second_port = int(env("BENCH_ODOO2_PORT", str(self.odoo_port + 100)))
        self.nginx_port = int(env("BENCH_NGINX_PORT", str(self.odoo_port + 11)))
        self.runner_port = self.nginx_port + 1  # nginx's loopback listener for queue_job's runner
        self.webhook_allow_only = None  # the webhook allow-list turned on with these source addresses

    def as_cluster(self):
        """The same settings for two servers behind nginx."""
        clone = copy.copy(self)
        clone.cluster = True
        clone.workers = self.cluster_workers
        clone.run_dir = RESULTS / "run-cluster"
        return clone

    @property
    def front_url(self):
        """nginx in a cluster, else the one server."""
        return f"http://127.0.0.1:{self.nginx_port}" if self.cluster else self.odoo_url

    @property
    def odoo_url(self):
        return f"http://127.0.0.1:{self.odoo_port}"

    @property
    def gevent_url(self):
        """Odoo's gevent server (its websocket port), where the proxy routes Zoom's deliveries."""
        return f"http://127.0.0.1:{self.odoo_port + 3}"

    @property
    def sandbox_url(self):
        return f"http://127.0.0.1:{self.sandbox_port}"


def port_busy(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(predicate, timeout, what, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"{what}: not within {timeout} s")


def _answers(url):
    try:
        return requests.get(url, timeout=2).status_code < 500
    except requests.RequestException:
        return False


class Stack:
    def __init__(self, settings):
        self.s = settings
        self.processes = []
        self.conf = settings.run_dir / "odoo.conf"
        self.odoo = self.sandbox = self.odoo2 = self.nginx = None

    def __enter__(self):
        self.s.run_dir.mkdir(parents=True, exist_ok=True)
        for port in self._ports():
            if port_busy(port):
                raise SystemExit(
                    f"Port {port} on 127.0.0.1 is in use; set BENCH_ODOO_PORT / BENCH_SANDBOX_PORT."
                )
        self._write_conf()
        self._drop_db()
        try:
            self._create_db()
            self._start_sandbox()
            self._configure_company()
            self._start_odoo()
            if self.s.cluster:
                self._start_second_and_nginx()
        except BaseException:
            self.__exit__()  # stop what started before the failure
            raise
        return self

    def _ports(self):
        ports = [self.s.odoo_port, self.s.odoo_port + 3, self.s.sandbox_port]
        if self.s.cluster:
            ports += [self.s.second_port, self.s.second_port + 3, self.s.nginx_port, self.s.runner_port]
        return ports

    def __exit__(self, *_exc):
        if self.nginx:
            self.nginx.stop()
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        self._drop_db()

    def _write_conf(self):
        from cryptography.fernet import Fernet

        s = self.s
        self.key = Fernet.generate_key().decode()
        (s.run_dir / "odoo.log").unlink(missing_ok=True)
        self.conf.write_text(self._conf_text(s.odoo_port, "odoo.log", runner=True))
        self.conf.chmod(0o600)
        if s.cluster:
            (s.run_dir / "odoo2.log").unlink(missing_ok=True)
            self.conf2 = s.run_dir / "odoo2.conf"
            self.conf2.write_text(self._conf_text(s.second_port, "odoo2.log", runner=False))
            self.conf2.chmod(0o600)

    def _conf_text(self, http_port, logfile, runner):
        """One server's odoo.conf; in a cluster the runner (first server only) sends each job through
        nginx's loopback listener to either server's workers, and both trust nginx's X-Forwarded-*."""
        s = self.s
        if not s.cluster:
            queue_job = "channels = root:2,root.zoom:1"
        elif runner:
            queue_job = f"channels = root:4,root.zoom:2\nhost = 127.0.0.1\nport = {s.runner_port}"
        else:
            queue_job = "channels = root:0"  # no runner in this server
        return f"""[options]
addons_path = {s.addons_path}
db_host = {s.pghost}
db_port = {s.pgport}
db_user = {s.db_user}
db_name = {s.db}
dbfilter = ^{s.db}$
data_dir = {s.run_dir}/data
http_interface = 127.0.0.1
http_port = {http_port}
gevent_port = {http_port + 3}
workers = {s.workers}
max_cron_threads = {s.cron_threads}
server_wide_modules = base,web,queue_job,zoom_training
logfile = {s.run_dir}/{logfile}
proxy_mode = {s.cluster}
limit_time_cpu = {600 if s.cluster else 60}
limit_time_real = {1200 if s.cluster else 120}
admin_passwd = {secrets.token_urlsafe(16)}
zoom_training_encryption_key = {self.key}

[queue_job]
{queue_job}
"""

    def _odoo(self, *args, conf=None, **kwargs):
        command = [PY, f"{self.s.odoo_src}/odoo-bin", "-c", str(conf or self.conf), *args]
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, **kwargs)

    def psql(self, sql, database="postgres"):
        """The rows of `sql` as PostgreSQL's administrator, as lines of text."""
        admin = os.environ.get("PGADMIN", "postgres")
        command = ["psql", "-h", self.s.pghost, "-p", self.s.pgport, "-U", admin, "-d", database, "-qtA"]
        result = subprocess.run([*command, "-c", sql], check=True, capture_output=True, text=True)
        return result.stdout.split()

    def _drop_db(self):
        self.psql(f'drop database if exists "{self.s.db}" with (force)')

    def _create_db(self):
        say(f"creating the database {self.s.db} with zoom_training (no demo data)")
        process = self._odoo(
            "-d", self.s.db, "-i", "zoom_training", "--without-demo=all", "--stop-after-init", "--workers=0"
        )
        if process.wait(timeout=600) != 0:
            raise SystemExit(f"Installing zoom_training failed; see {self.s.run_dir}/odoo.log")

    def _start_sandbox(self):
        s = self.s
        log = open(s.run_dir / "sandbox.log", "w")  # noqa: SIM115 (kept open for the child's life)
        command = [
            PY,
            str(REPO / "bench" / "sandbox_process.py"),
            "--host",
            "127.0.0.1",
            "--port",
            str(s.sandbox_port),
            "--plan",
            s.plan,
        ]
        self.sandbox = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(self.sandbox)
        wait_for(lambda: _answers(f"{s.sandbox_url}/_sandbox/state"), 30, "the Zoom sandbox")

    def _configure_company(self):
        s = self.s
        command = [
            PY,
            str(REPO / "scripts" / "configure_demo.py"),
            str(self.conf),
            s.db,
            s.sandbox_url,
            s.front_url,
        ]
        subprocess.run(
            command,
            check=True,
            env={**os.environ, "PYTHONPATH": s.odoo_src},
            stdout=subprocess.DEVNULL,
            timeout=120,
        )

    def _start_odoo(self):
        say(f"starting Odoo on {self.s.odoo_url} ({self.s.workers} workers, queue_job's runner)")
        # a session of its own: the server, its workers and queue_job's runner can be killed together
        self.odoo = self._odoo(start_new_session=True)
        self.processes.append(self.odoo)
        wait_for(lambda: _answers(f"{self.s.odoo_url}/web/login"), 90, "Odoo")

    def _start_second_and_nginx(self):
        from nginx import Nginx

        s = self.s
        say(f"starting a second Odoo on 127.0.0.1:{s.second_port} ({s.workers} workers, no job runner)")
        self.odoo2 = self._odoo(conf=self.conf2, start_new_session=True)
        self.processes.append(self.odoo2)
        wait_for(lambda: _answers(f"http://127.0.0.1:{s.second_port}/web/login"), 90, "the second Odoo")
        say(f"starting nginx on {s.front_url} with docs/nginx/zoom_training.conf")
        self.nginx = Nginx(
            s.run_dir / "nginx",
            http_ports=(s.odoo_port, s.second_port),
            gevent_ports=(s.odoo_port + 3, s.second_port + 3),
            public_port=s.nginx_port,
            runner_port=s.runner_port,
            allow_only=s.webhook_allow_only,
        ).start()
        wait_for(lambda: _answers(f"{s.front_url}/web/login"), 30, "nginx")

    def kill_odoo(self):
        """kill -9 of the whole server: master, HTTP and cron workers, queue_job's runner."""
        os.killpg(self.odoo.pid, signal.SIGKILL)
        self.odoo.wait(timeout=30)

    def restart_odoo(self):
        self._start_odoo()


def say(text):
    print(f"[bench] {text}", file=sys.stderr, flush=True)
