"""The layers of docs/ARCHITECTURE.md, enforced: a file may include the
headers of its own layer and of the layers below it, never one above; the
domain (and core, store's callers) never includes a library's header that
belongs to another layer (sqlite3.h, libpq-fe.h, microhttpd.h, curl.h).

usage: check_layers.py SRC_DIR                 every file under SRC_DIR/src
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
# system headers only some layers may include
OWNED = {
    "sqlite3.h": {"store"},
    "libpq-fe.h": {"store"},
    "microhttpd.h": {"server"},
    "curl/curl.h": {"webhook"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def check(path, text):
    """Violations of one file, read as if it stood at path (under src/)."""
    parts = path.replace("\\", "/").split("/")
    if len(parts) < 3 or parts[-3] != "src" or parts[-2] not in LEVEL:
        return [f"{path}:1: not in a known layer (add its folder to {__file__})"]
    here = parts[-2]
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        kind, name = m.groups()
        if kind == '"':
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
    for v in found:
        print(v)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
