"""An answer 2xx is sent only once its write is on disk: the server runs
under strace, writes arrive one at a time (single events, then a bulk
batch), and for each answer the trace must show, between the request's
arrival and the answer, the write's frames written to SQLite's log and
then a sync of that log (fdatasync of any descriptor of the -wal file)
begun after the last of them and finished before the answer. Whichever
thread syncs (the COMMIT itself, or the writer's syncer while the writer
goes on): what matters is the order. SQLite only; skipped without
strace."""
import os
import re
import shutil
import signal
import tempfile

import lfserver
from lfserver import Server, check, done, run, token

lfserver.sqlite_only("the order of a SQLite log's writes and syncs")
if not shutil.which("strace"):
    print("skipped: no strace")
    raise SystemExit(77)
d = tempfile.mkdtemp(prefix="lf-sync-")
db = os.path.join(d, "t.db")
run(db, "init")
run(db, "model", "add", os.path.join(lfserver.SRC, "models", "default.yaml"))
run(db, "model", "activate", "1")
A = token(db, "admin", "root")
trace = os.path.join(d, "trace.txt")
# (LeakSanitizer cannot run under ptrace: in a sanitized build, leaks are
# left to the other tests)
asan = os.environ.get("ASAN_OPTIONS", "")
srv = Server(db, env={"ASAN_OPTIONS": (asan + ":" if asan else "") + "detect_leaks=0"}, wrap=["strace", "-f", "-qq", "-s", "24", "-o", trace, "-e",
                       "trace=openat,close,pwrite64,fdatasync,fsync,recvfrom,sendmsg,sendto,"
                       "writev"]).start()
conn = srv.conn()
for i in range(20):
    st, b, _ = srv.call("POST", "/v1/events", A, {"id": f"s-{i}", "email": f"s{i}@sync.example",
                                                    "type": "page_view"}, conn=conn)
    check(st == 201, f"event {i} answered 201 ({st} {b})")
st, b, _ = srv.call("POST", "/v1/events", A,
                    [{"id": f"b-{j}", "email": f"s{j % 20}@sync.example", "type": "page_view"}
                     for j in range(150)], conn=conn)
check(st == 200 and b["inserted"] == 150, f"a bulk batch answered 200 ({st})")
# strace keeps running what it traces when signalled: the server itself is stopped
pid = srv.proc.pid
server = int(open(f"/proc/{pid}/task/{pid}/children").read().split()[0])
os.kill(server, signal.SIGTERM)
check(srv.proc.wait(timeout=20) == 0, "the server stops cleanly")
srv.logf.close()

# Requests come one at a time, so the k-th answer is the k-th request's;
# strace prints a call when it returns, so an answer's line may follow the
# next request's arrival. A request's commit is the first run of log
# writes (one thread's) after it arrived.
line_re = re.compile(r"^(\d+) +(.*)$")
wal = set()            # descriptors open on the log
opening = {}           # pid -> an openat of the log not finished yet
syncing = {}           # pid -> the last log write when its sync began
last_write = -1        # line of the last write to the log
durable = -1           # every log write up to this line is synced
requests = []          # per request: {"pid", "last": its commit's last write, "closed"}
answers = []           # per answer: durable when it was sent
for i, raw in enumerate(open(trace)):
    m = line_re.match(raw)
    if not m:
        continue
    pid, body = m.group(1), m.group(2)
    log_write = body.startswith("pwrite64(") and \
        int(re.match(r"pwrite64\((\d+)", body).group(1)) in wal
    cur = requests[-1] if requests else None
    if cur and cur["pid"] == pid and not log_write:
        cur["closed"] = True
    if body.startswith("<... openat resumed>"):
        n = re.search(r"= (\d+)$", body)
        if opening.pop(pid, False) and n:
            wal.add(int(n.group(1)))
    elif body.startswith("openat(") and '-wal"' in body:
        n = re.search(r"= (\d+)$", body)
        if n:
            wal.add(int(n.group(1)))
        else:
            opening[pid] = True
    elif body.startswith("close("):
        wal.discard(int(re.match(r"close\((\d+)", body).group(1)))
    elif log_write:
        last_write = i
        if cur and not cur["closed"] and cur["pid"] in (None, pid):
            cur["pid"], cur["last"] = pid, i
    elif body.startswith(("fdatasync(", "fsync(")):
        fd = int(re.match(r"f\w+\((\d+)", body).group(1))
        if fd in wal:
            if "unfinished" in body:
                syncing[pid] = last_write
            elif body.endswith("= 0"):
                durable = max(durable, last_write)
    elif body.startswith(("<... fdatasync resumed>", "<... fsync resumed>")):
        if pid in syncing and body.endswith("= 0"):
            durable = max(durable, syncing.pop(pid))
    elif body.startswith(("recvfrom(", "<... recvfrom resumed>")) and \
            "POST /v1/events" in body and "MSG_PEEK" not in body:
        requests.append({"pid": None, "last": None, "closed": False})
    elif body.startswith(("sendmsg(", "sendto(", "writev(")) and "HTTP/1.1 20" in body:
        answers.append(durable)

answers = [(k, r["last"], d) for k, (r, d) in enumerate(zip(requests, answers))]
check(len(answers) == 21, f"21 answers 2xx in the trace ({len(answers)}; {len(requests)} requests)")
late = [a for a in answers if a[1] is None or a[2] < a[1]]
check(not late, f"each answered after its log writes were synced ({len(answers) - len(late)}"
      f" of {len(answers)}; first not: {late[:1]})")
done()
