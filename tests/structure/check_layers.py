"""The layers of docs/ARCHITECTURE.md, enforced: a file may include the
headers of its own layer and of the layers below it, never one above; the
domain (and core, store's callers) never includes a library's header that
belongs to another layer (sqlite3.h, libpq-fe.h, microhttpd.h, curl.h).
A public header (include/leadflow/) belongs to the layer that implements
it, and includes only public headers; the command line includes public
headers and its own, never an internal one.

usage: check_layers.py SRC_DIR                 every file under SRC_DIR/src and
                                               SRC_DIR/include/leadflow
       check_layers.py SRC_DIR --as PATH FILE  FILE read as if it were PATH
Prints each violation as PATH:LINE: what; exits 1 when there is any."""
import os
import re
import sys

# lowest first; directories on one line are one layer
LAYERS = [
    ["core"],
    ["store"],
    ["notify", "auth"],
    ["move"],
    ["score"],
    ["lifecycle"],
    ["ingest", "demo"],
    ["gate"],
    ["learn"],
    ["report"],
    ["webhook"],
    ["server"],
    ["cli"],
]
LEVEL = {d: i for i, ds in enumerate(LAYERS) for d in ds}
# each public header: the layer that implements what it declares
PUBLIC = {
    "error.h": "core", "time.h": "core", "value.h": "core", "types.h": "core",
    "buf.h": "core", "hash.h": "core", "table.h": "core", "json.h": "core",
    "config.h": "core", "roles.h": "core",
    "store.h": "store",
    "webhook.h": "notify", "token.h": "auth", "session.h": "auth",
    "rep.h": "move", "sla_terms.h": "move",
    "expr.h": "score", "model.h": "score", "score.h": "score",
    "lifecycle.h": "lifecycle",
    "import.h": "ingest", "cdp.h": "ingest", "demo.h": "demo",
    "gate.h": "gate",
    "learn.h": "learn",
    "report.h": "report",
    "serve.h": "server",
}
# system headers only some layers may include
OWNED = {
    "sqlite3.h": {"store"},
    "libpq-fe.h": {"store"},
    "microhttpd.h": {"server"},
    "curl/curl.h": {"webhook"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(path):
    """The layer a file under src/ or include/leadflow/ belongs to, and
    whether it is a public header; None when it is in no known layer."""
    parts = path.replace("\\", "/").split("/")
    if len(parts) >= 3 and parts[-3] == "include" and parts[-2] == "leadflow":
        return PUBLIC.get(parts[-1]), True
    if len(parts) >= 3 and parts[-3] == "src" and parts[-2] in LEVEL:
        return parts[-2], False
    return None, False


def check(path, text):
    """Violations of one file, read as if it stood at path."""
    here, public = layer_of(path)
    if here is None:
        return [f"{path}:1: not in a known layer (add it to {__file__})"]
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        kind, name = m.groups()
        if kind == '"' and public:
            out.append(f"{path}:{n}: a public header includes '{name}'; it may "
                       "include only <leadflow/...> and system headers")
        elif kind == '"' and here == "cli" and "/" in name:
            out.append(f"{path}:{n}: cli includes the internal header '{name}'; the "
                       "command line uses include/leadflow/ only")
        elif kind == '"' and "/" not in name:
            continue  # beside the file, in its own folder
        elif kind == "<" and name.startswith("leadflow/"):
            d = PUBLIC.get(name[len("leadflow/"):])
            if d is None:
                out.append(f"{path}:{n}: includes <{name}>, in no known layer")
            elif LEVEL[d] > LEVEL[here]:
                out.append(f"{path}:{n}: {here} includes <{name}> from {d}, a layer above it")
        elif kind == '"':
            d = name.split("/")[0]
            if d not in LEVEL:
                out.append(f"{path}:{n}: includes '{name}', in no known layer")
            elif LEVEL[d] > LEVEL[here]:
                out.append(f"{path}:{n}: {here} includes '{name}' from {d}, a layer above it")
        elif name in OWNED and here not in OWNED[name]:
            out.append(f"{path}:{n}: {here} includes <{name}>, which only "
                       f"{' and '.join(sorted(OWNED[name]))} may")
    return out


def main(argv):
    root = argv[1]
    if len(argv) == 5 and argv[2] == "--as":
        found = check(argv[3], open(argv[4]).read())
    else:
        found = []
        for d in sorted(os.listdir(os.path.join(root, "src"))):
            full = os.path.join(root, "src", d)
            if not os.path.isdir(full):
                continue
            for f in sorted(os.listdir(full)):
                if f.endswith((".c", ".h")):
                    found += check(f"src/{d}/{f}", open(os.path.join(full, f)).read())
        pub = os.path.join(root, "include", "leadflow")
        for f in sorted(os.listdir(pub)):
            if f.endswith(".h"):
                found += check(f"include/leadflow/{f}", open(os.path.join(pub, f)).read())
    for v in found:
        print(v)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
