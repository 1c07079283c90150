"""nginx in front of the bench's Odoo servers, configured with docs/nginx/zoom_training.conf itself.

Only the lines marked `ADDRESS` (the servers' ports, the public port, the runner's port) and the log paths
are replaced; nginx runs with a prefix of its own under bench/results/run/nginx, as root or not."""

import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONF = REPO / "docs" / "nginx" / "zoom_training.conf"


def render(http_ports, gevent_ports, public_port, runner_port, logs, allow_only=None):
    """The site file with the bench's addresses; `allow_only`: the webhook allow-list turned on with these
    source addresses (the stand-ins for Zoom's published ranges)."""
    text = CONF.read_text()
    swaps = [
        ("127.0.0.1:8069;  # ADDRESS server 1", f"127.0.0.1:{http_ports[0]};"),
        ("127.0.0.1:8169;  # ADDRESS server 2", f"127.0.0.1:{http_ports[1]};"),
        ("127.0.0.1:8072;  # ADDRESS server 1", f"127.0.0.1:{gevent_ports[0]};"),
        ("127.0.0.1:8172;  # ADDRESS server 2", f"127.0.0.1:{gevent_ports[1]};"),
        ("listen 80;", f"listen 127.0.0.1:{public_port};"),
        ("listen 127.0.0.1:8079;", f"listen 127.0.0.1:{runner_port};"),
        ("/var/log/nginx/zoom_training.access.log", f"{logs}/access.log"),
        ("/var/log/nginx/zoom_training.error.log", f"{logs}/error.log"),
    ]
    if allow_only:
        listed = "".join(f"\n    {address} 1;" for address in allow_only)
        swaps.append(
            ("default 1;  # 1 = every address may post (limited per address above)", f"default 0;{listed}")
        )
    for old, new in swaps:
        if old not in text:
            raise SystemExit(f"{CONF}: the line with {old!r} is gone; bench/nginx.py must follow it")
        text = text.replace(old, new)
    return re.sub(r"[ \t]*# ADDRESS.*", "", text)


def main_conf(prefix, site):
    return f"""worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {site};
}}
"""


class Nginx:
    """`start()` writes the configuration, checks it with `nginx -t` and starts nginx; `stop()` ends it."""

    def __init__(self, prefix, **addresses):
        self.prefix = Path(prefix)
        self.addresses = addresses
        self.process = None

    def start(self):
        binary = self._binary()
        self.prefix.mkdir(parents=True, exist_ok=True)
        (self.prefix / "access.log").unlink(missing_ok=True)  # this run's answers only
        site = self.prefix / "zoom_training.conf"
        site.write_text(render(logs=self.prefix, **self.addresses))
        main = self.prefix / "nginx.conf"
        main.write_text(main_conf(self.prefix, site))
        command = [binary, "-p", str(self.prefix), "-c", str(main), "-e", str(self.prefix / "error.log")]
        subprocess.run([*command, "-t", "-q"], check=True)
        self.process = subprocess.Popen([*command, "-g", "daemon off;"])
        return self

    def reload(self, **changes):
        """The site file rendered again with `changes` (e.g. allow_only), `nginx -t`, then SIGHUP."""
        self.addresses.update(changes)
        site = self.prefix / "zoom_training.conf"
        site.write_text(render(logs=self.prefix, **self.addresses))
        subprocess.run(
            [self._binary(), "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf"), "-t", "-q"],
            check=True,
        )
        self.process.send_signal(signal.SIGHUP)
        time.sleep(2)  # the old workers finish, the new ones take over

    @staticmethod
    def _binary():
        return shutil.which("nginx") or "/usr/sbin/nginx"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
