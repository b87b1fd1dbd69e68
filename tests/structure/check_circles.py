"""No circles between the library's source files: file A calls (or reads)
something defined in file B, and B, through any chain, something in A.
Read from the compiled objects (nm), so it sees calls, not includes: a
header shared by both sides is no circle, a callback registered in a table
is none either, a direct call back is one.

usage: check_circles.py OBJECT...
Prints each circle, with the symbols that close it; exits 1 when any."""
import subprocess
import sys


def name_of(obj):
    """src/server/api_leads.c.o -> server/api_leads"""
    n = obj.split("/src/")[-1]
    return n[:-4] if n.endswith(".c.o") else n


def main(objs):
    defs, uses = {}, {}
    for o in objs:
        n = name_of(o)
        uses[n] = set()
        nm = subprocess.run(["nm", "-g", o], capture_output=True, text=True, check=True)
        for line in nm.stdout.splitlines():
            p = line.split()
            if len(p) == 2 and p[0] == "U":
                uses[n].add(p[1])
            elif len(p) == 3 and p[1] in "TDBRCV":
                defs[p[2]] = n
    edges = {a: sorted({defs[s] for s in u if s in defs and defs[s] != a})
             for a, u in uses.items()}
    # Tarjan's strongly connected components, iteratively
    index, low, on, stack, found = {}, {}, set(), [], []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, k = work.pop()
            if k == 0:
                index[v] = low[v] = len(index)
                stack.append(v)
                on.add(v)
            if k < len(edges[v]):
                work.append((v, k + 1))
                w = edges[v][k]
                if w not in index:
                    work.append((w, 0))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
    for comp in found:
        print("circle: " + " <-> ".join(comp))
        members = set(comp)
        for a in comp:
            for s in sorted(uses[a]):
                if defs.get(s) in members and defs[s] != a:
                    print(f"  {a} uses {s} of {defs[s]}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
