"""Servers on loopback for the scale-out bench and tests: a throwaway PostgreSQL (initdb), a Chroma server
(`chroma run`) and an HAProxy balancer. Each can be stopped and started again; none needs the network."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import free_port

PG_BIN = Path("/usr/local/bin")
VENV_BIN = Path(sys.executable).parent
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def stop_process(proc: subprocess.Popen | None, timeout: float = 20) -> None:
    """SIGTERM (a server finishes what it started), then SIGKILL if it is still there after `timeout` seconds."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def wait_http(url: str, proc: subprocess.Popen, what: str, timeout: float = 60) -> None:
    """Until `url` answers; RuntimeError (French) when the process stops or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} s'est arrêté au démarrage")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{what} n'a pas démarré en {timeout} s")


class PostgresServer:
    """A throwaway cluster on a free loopback port; can be stopped and started again on the same data."""

    def __init__(self):
        # postgres refuses to run as root: as root, the cluster belongs to the `postgres` (or nobody) account,
        # in a directory of its own outside pytest's root-only tmp dir.
        self.root = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
        self.user = None
        if os.getuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    self.user = pwd.getpwnam(name)
                    break
                except KeyError:
                    continue
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        self.data = self.root / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://assistant@127.0.0.1:{self.port}/postgres"
        self.proc: subprocess.Popen | None = None
        self._run([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "assistant", "--auth=trust",
                   "--encoding=UTF8", "--no-sync"], check=True)

    def _preexec(self):
        if self.user is None:
            return None
        uid, gid = self.user.pw_uid, self.user.pw_gid

        def drop() -> None:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
        return drop

    def _run(self, cmd: list[str], check: bool) -> None:
        subprocess.run(cmd, check=check, capture_output=True, preexec_fn=self._preexec(), cwd=self.root)

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [str(PG_BIN / "postgres"), "-D", str(self.data), "-p", str(self.port), "-h", "127.0.0.1",
             "-k", str(self.root), "-c", "fsync=off"],
            preexec_fn=self._preexec(), cwd=self.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(f"host=127.0.0.1 port={self.port} user=assistant dbname=postgres",
                                connect_timeout=1).close()
                return
            except psycopg.OperationalError:
                if self.proc.poll() is not None:
                    raise RuntimeError("PostgreSQL s'est arrêté au démarrage")
                if time.monotonic() > deadline:
                    raise RuntimeError("PostgreSQL n'a pas démarré en 30 s")
                time.sleep(0.2)

    def database(self, name: str) -> str:
        """A new empty database on this server (each test its own state); returns its URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=assistant dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(2)  # SIGINT: fast shutdown, open client connections are closed
            self.proc.wait(timeout=30)
        self.proc = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


class ChromaServer:
    """`chroma run` on loopback; can be stopped and started again on the same port and path."""

    def __init__(self, path: Path):
        self.path = path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen([str(VENV_BIN / "chroma"), "run", "--path", str(self.path), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_http(f"{self.url}/api/v2/heartbeat", self.proc, "le serveur Chroma")

    def stop(self) -> None:
        stop_process(self.proc)
        self.proc = None


class Balancer:
    """HAProxy on loopback: round robin over the replicas, health-checked on /readyz."""

    def __init__(self, root: Path, servers: list[str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # A replica busy with a long answer still passes its check (5 s to answer /readyz, three misses to be
        # taken out); a stopped one refuses connections, and those requests are retried on another at once.
        lines = [f"    server r{i} {s} check inter 500ms fall 3 rise 1" for i, s in enumerate(servers)]
        self.config = root / "haproxy.cfg"
        # A request refused by a stopped replica (connection refused or closed before any answer) goes to the
        # other one; the health check takes a replica out as soon as it is not ready.
        self.config.write_text("\n".join([
            "global", "    maxconn 256",
            "defaults", "    mode http", "    timeout connect 2s", "    timeout client 180s",
            "    timeout server 180s", "    retries 3", "    option redispatch",
            "    retry-on conn-failure empty-response", "    timeout check 5s",
            "frontend web", f"    bind 127.0.0.1:{self.port}", "    default_backend replicas",
            "backend replicas", "    balance roundrobin", "    option httpchk GET /readyz",
            "    http-check expect status 200", *lines, ""]), encoding="utf-8")
        check = subprocess.run([HAPROXY, "-c", "-f", str(self.config)], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"configuration HAProxy refusée : {check.stderr}")
        self.proc = subprocess.Popen([HAPROXY, "-db", "-f", str(self.config)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        stop_process(self.proc)
