"""Two leadflow servers as separate hosts on one PostgreSQL: each in a
network namespace of its own (ip netns), reaching the database over a veth
link of its own and its clients over another. Under load from clients of
both servers:

1. one server's link to the database is cut (its veth taken down: packets
   vanish, nothing says the connection is gone) and restored: its clients
   get clear 503s while it is cut, the other server goes on, and the cut
   one answers writes again by itself once the link is back;
2. one server is killed with SIGKILL: the other goes on.

Every write either server acknowledged is stored; the figures are printed.
Needs root (namespaces) and iproute2; exits 77 (skipped) where namespaces
cannot be made."""
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CLUSTER = os.path.join(HERE, "cluster.sh")
TAG = os.getpid() % 100000
NET = 10 + (os.getpid() % 200)   # the third octet of both networks
NS = [f"lfn{TAG}a", f"lfn{TAG}b"]


def ip(*args, ns=None, check=True):
    argv = (["ip", "netns", "exec", ns] if ns else []) + ["ip", *args]
    return subprocess.run(argv, capture_output=True, text=True, check=check)


def db_addr(k, side):   # server k's link to the database: .1 ours, .2 theirs
    return f"10.231.{NET}.{4 * k + 1 + side}"


def client_addr(k, side):
    return f"10.232.{NET}.{4 * k + 1 + side}"


def link_name(kind, k):
    return f"lf{kind}{k}x{TAG}"   # 15 characters at most


def network_up():
    for k, ns in enumerate(NS):
        ip("netns", "add", ns)
        ip("link", "set", "lo", "up", ns=ns)
        for kind, addr in (("d", db_addr), ("c", client_addr)):
            here, there = link_name(kind, k), link_name(kind.upper(), k)
            ip("link", "add", here, "type", "veth", "peer", "name", there)
            ip("link", "set", there, "netns", ns)
            ip("addr", "add", addr(k, 0) + "/30", "dev", here)
            ip("link", "set", here, "up")
            ip("addr", "add", addr(k, 1) + "/30", "dev", there, ns=ns)
            ip("link", "set", there, "up", ns=ns)


def network_down():
    for k, ns in enumerate(NS):
        for kind in "dc":
            ip("link", "del", link_name(kind, k), check=False)
        ip("netns", "del", ns, check=False)


if os.geteuid() != 0:
    print("skipped: network namespaces need root")
    sys.exit(77)
try:
    network_up()
except (subprocess.CalledProcessError, FileNotFoundError) as e:
    network_down()
    print(f"skipped: cannot make network namespaces here ({getattr(e, 'stderr', e)})")
    sys.exit(77)

pgdir = tempfile.mkdtemp(prefix="lf-pg-netns-")
try:
    uri = subprocess.run(
        ["bash", CLUSTER, "start", pgdir], capture_output=True, text=True, check=True,
        env=dict(os.environ, LF_PG_LISTEN=f"{db_addr(0, 0)},{db_addr(1, 0)}",
                 LF_PG_NET=f"10.231.{NET}.0/24")).stdout.strip()
except subprocess.CalledProcessError as e:
    network_down()
    print("cannot start PostgreSQL: " + e.stderr)
    sys.exit(1)
os.environ["LEADFLOW_PG"] = uri

import lfserver  # noqa: E402  (reads LEADFLOW_PG as it loads)
from lfserver import Server, check, demo_db, done, token, wait_for  # noqa: E402

servers = []
try:
    d, db = demo_db(leads=60)
    A = token(db, "admin", "root")
    name = db.split("@/")[1].split("?")[0]
    # each server reaches the database over its own link, by TCP
    srv = [Server(f"postgresql://postgres@{db_addr(k, 0)}/{name}",
                  log=os.path.join(d, f"server{k}.log"), netns=NS[k],
                  host=client_addr(k, 1)).start() for k in range(2)]
    servers = srv
    check(all(s.call("GET", "/healthz")[0] == 200 for s in srv),
          "two servers, each in its own namespace, answer their clients")

    answers = [{"ack": [], "503": [], "other": []} for _ in srv]
    stop = threading.Event()

    def load(k, n):
        conn = srv[k].conn()
        i = 0
        while not stop.is_set():
            ev = {"id": f"ns-{k}-{n}-{i}", "email": f"ns{k}{n}@netns.example",
                  "type": "page_view", "occurred_at": "2026-11-21T10:00:00Z"}
            i += 1
            try:
                st, b, _ = srv[k].call("POST", "/v1/events", A, ev, conn=conn)
            except Exception:
                if srv[k].proc is None or srv[k].proc.poll() is not None:
                    return   # its server is gone
                conn = srv[k].conn()
                continue
            if 200 <= st < 300:
                answers[k]["ack"].append((time.time(), ev["id"]))
            elif st == 503:
                answers[k]["503"].append((time.time(), b.get("error", {}).get("code")))
            else:
                answers[k]["other"].append(st)

    clients = [threading.Thread(target=load, args=(k, n)) for k in range(2) for n in range(2)]
    for c in clients:
        c.start()
    time.sleep(1.5)

    # 1. server 0's link to the database cut for 20 s, then restored
    ip("link", "set", link_name("d", 0), "down")
    t_cut = time.time()
    time.sleep(20)
    acked_b_during = sum(1 for t, _ in answers[1]["ack"] if t > t_cut)
    b_times = [t_cut] + [t for t, _ in answers[1]["ack"] if t > t_cut]
    b_gap = max(b - a for a, b in zip(b_times, b_times[1:])) if len(b_times) > 1 else 0
    first_503 = min((t for t, _ in answers[0]["503"] if t > t_cut), default=None)
    codes = sorted({c for t, c in answers[0]["503"] if t > t_cut})
    ip("link", "set", link_name("d", 0), "up")
    t_back = time.time()
    check(first_503 is not None,
          f"its clients got 503s while the link was cut ({len(answers[0]['503'])}, the"
          f" first {first_503 - t_cut:.1f} s after the cut; codes {codes})"
          if first_503 else "its clients got 503s while the link was cut")
    check(acked_b_during > 0,
          f"the other server went on: {acked_b_during} writes acknowledged during the cut"
          f" (its longest wait {b_gap:.1f} s: the cut one's transaction, ended by the"
          f" database)")
    check(wait_for(lambda: any(t > t_back for t, _ in answers[0]["ack"]), 60),
          "the cut server answers writes again by itself once the link is back" +
          (f" ({min(t for t, _ in answers[0]['ack'] if t > t_back) - t_back:.1f} s after)"
           if any(t > t_back for t, _ in answers[0]["ack"]) else ""))
    check(not answers[0]["other"] and not answers[1]["other"],
          f"no answer but 2xx and 503 ({answers[0]['other'] + answers[1]['other']})")

    # 2. server 1 killed with SIGKILL under load; server 0 goes on
    time.sleep(1)
    srv[1].proc.send_signal(signal.SIGKILL)
    srv[1].proc.wait()
    t_kill = time.time()
    time.sleep(2)
    check(any(t > t_kill for t, _ in answers[0]["ack"]),
          "after the other server's kill -9, the first goes on answering writes")
    stop.set()
    for c in clients:
        c.join()

    every = [i for a in answers for _, i in a["ack"]]
    stored = int(lfserver.sql(db, "SELECT count(*) FROM events WHERE id LIKE 'ns-%'"))
    found = int(lfserver.sql(db, "SELECT count(*) FROM events WHERE id IN (%s)" % ",".join(
        f"'{i}'" for i in every)))
    check(found == len(set(every)),
          f"every acknowledged write is stored: {len(every)} acknowledged"
          f" ({len(answers[0]['ack'])} + {len(answers[1]['ack'])}), {stored} stored,"
          f" {len(set(every)) - found} missing; {len(answers[0]['503'])} answered 503")
    check(srv[0].stop() == 0, "the first server stops cleanly")
finally:
    for s in servers:
        if s.proc and s.proc.poll() is None:
            s.proc.kill()
    subprocess.run(["bash", CLUSTER, "stop", pgdir], check=False)
    network_down()
done()
