"""Helpers for the end-to-end tests: a leadflow database with the demo world,
the real server started on a free port, and HTTP calls to it (stdlib only)."""
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LEADFLOW = os.environ["LEADFLOW"]
SRC = os.environ["SRC"]
# a PostgreSQL cluster's URI (tests/pg/cluster.sh): the same tests on PostgreSQL
PG = os.environ.get("LEADFLOW_PG")


def new_db(d):
    """A fresh, empty database: a file in folder d, or a database of its own on PG."""
    if not PG:
        return os.path.join(d, "t.db")
    name = "h" + os.path.basename(d).replace("-", "_").lower()
    subprocess.run(["psql", PG, "-qAtc", f"CREATE DATABASE {name}"], check=True)
    return PG.replace("/leadflow?", f"/{name}?")


def sql(db, q):
    """A query's rows as sqlite3 prints them: columns joined by |, one row a line."""
    argv = ["psql", db, "-qAt", "-F", "|", "-v", "ON_ERROR_STOP=1"] if PG else \
        ["sqlite3", "-bail", db]
    if len(q) < 65536:   # a longer one, beyond a command line's limit, goes by stdin
        return subprocess.run(argv + ["-c", q] if PG else argv + [q], capture_output=True,
                              text=True, check=True).stdout.strip()
    return subprocess.run(argv, input=q, capture_output=True, text=True,
                          check=True).stdout.strip()


def sqlite_only(why):
    """Ends a test that checks what only a SQLite file does, as skipped on PG."""
    if PG:
        print(f"skipped on PostgreSQL: {why}")
        sys.exit(77)


def run(db, *args, check=True):
    p = subprocess.run([LEADFLOW, "--db", db, *args], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError(f"leadflow {' '.join(args)}: {p.returncode} {p.stderr}")
    return p


def demo_db(leads=300, seed=1):
    """A fresh database with the demo world and the default model active."""
    d = tempfile.mkdtemp(prefix="lf-http-")
    db = new_db(d)
    run(db, "init")
    run(db, "demo", "--leads", str(leads), "--seed", str(seed))
    run(db, "model", "add", os.path.join(SRC, "models", "default.yaml"))
    run(db, "model", "activate", "1")
    return d, db


def token(db, role, name, rep=None):
    args = ["token", "create", "--role", role, "--name", name]
    if rep:
        args += ["--rep", str(rep)]
    return run(db, *args).stdout.strip()


class Server:
    """The real server; netns: runs it in that network namespace (ip netns),
    listening on host."""

    def __init__(self, db, env=None, log=None, netns=None, host="127.0.0.1", wrap=None):
        self.db = db
        self.wrap = wrap or []   # a command the server runs under (strace ...)
        self.netns, self.host = netns, host
        self.env = dict(os.environ, **(env or {}))
        self.log = log or (tempfile.mkstemp(prefix="lf-server-", suffix=".log")[1] if PG
                           else db + ".log")
        self.proc = None
        self.port = None

    def start(self):
        self.logf = open(self.log, "a")
        inside = (["ip", "netns", "exec", self.netns] if self.netns else []) + self.wrap
        self.proc = subprocess.Popen(
            inside + [LEADFLOW, "--db", self.db, "serve", "--listen", f"{self.host}:0"],
            stdout=subprocess.PIPE, stderr=self.logf, text=True, env=self.env)
        line = self.proc.stdout.readline()
        if not line.startswith("listening on http://"):
            raise RuntimeError("server did not start: " + line + open(self.log).read()[-2000:])
        self.port = int(line.strip().rsplit(":", 1)[1])
        return self

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if not self.proc:
            return None
        self.proc.send_signal(sig)
        rc = self.proc.wait(timeout=timeout)
        self.proc = None
        self.logf.close()
        return rc

    def conn(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=60)

    def call(self, method, path, tok=None, body=None, ctype=None, conn=None, headers=None):
        """Returns (status, parsed JSON or text, headers)."""
        c = conn or self.conn()
        h = dict(headers or {})
        if tok:
            h["Authorization"] = "Bearer " + tok
        data = None
        if body is not None:
            if isinstance(body, (dict, list)):
                data = json.dumps(body).encode()
                h.setdefault("Content-Type", ctype or "application/json")
            else:
                data = body.encode() if isinstance(body, str) else body
                if ctype:
                    h["Content-Type"] = ctype
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        raw = r.read()
        if not conn:
            c.close()
        ct = r.getheader("Content-Type") or ""
        payload = raw.decode(errors="replace")
        if ct.startswith("application/json") and raw:
            payload = json.loads(raw)
        return r.status, payload, r


def wait_for(pred, seconds=15):
    """Polls pred until it holds (True) or seconds pass (False)."""
    end = time.time() + seconds
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


class Receiver:
    """A local webhook receiver on a free port: answers every POST 200 (after
    delay seconds) and keeps (X-Leadflow-Delivery, parsed body) in got, in
    arrival order."""

    def __init__(self, delay=0):
        self.got, self.cv = [], threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                time.sleep(delay)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                with outer.cv:
                    outer.got.append((self.headers["X-Leadflow-Delivery"], body))
                    outer.cv.notify_all()

            def log_message(self, *a):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def for_email(self, email):
        """The deliveries received about the lead with this email."""
        with self.cv:
            return [g for g in self.got if g[1]["data"]["lead"].get("email") == email]

    def stop(self):
        self.http.shutdown()


failures = 0


def check(cond, what):
    global failures
    if cond:
        print("ok   " + what)
    else:
        failures += 1
        print("FAIL " + what)


def done():
    if failures:
        print(f"{failures} check(s) failed")
        sys.exit(1)
    print("all checks passed")
    sys.exit(0)
