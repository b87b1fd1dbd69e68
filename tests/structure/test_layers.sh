# test_layers.sh - the tree keeps its layers (check_layers.py), and the check
# can fail: on scratch files that include upwards or a library of another layer.
set -u
src=$1 build=${2:-}
check=$src/tests/structure/check_layers.py
fails=0
out=$(python3 "$check" "$src") || { echo "FAIL: the tree breaks its layers:"; echo "$out"; fails=1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf '#include <sqlite3.h>\n#include "score/model.h"\n' > "$scratch/a.c"
printf '#include "server/http.h"\n' > "$scratch/b.c"
got=$(python3 "$check" "$src" --as src/score/scratch.c "$scratch/a.c")
[ $? = 1 ] && [ "$got" = "src/score/scratch.c:1: score includes <sqlite3.h>, which only store may" ] ||
	{ echo "FAIL: a domain file including sqlite3.h is not caught: [$got]"; fails=1; }
got=$(python3 "$check" "$src" --as src/store/scratch.c "$scratch/b.c")
[ $? = 1 ] && [ "$got" = "src/store/scratch.c:1: store includes 'server/http.h' from server, a layer above it" ] ||
	{ echo "FAIL: an upward include is not caught: [$got]"; fails=1; }
# the link check fails too: a core object that calls the server cannot be
# linked whole against core alone (the way CMakeLists.txt links each layer)
if [ -n "$build" ] && [ -f "$build/liblf_core.a" ]; then
	printf 'int lf_serve(const char *, const void *, void *);\nint up(void) { return lf_serve(0, 0, 0); }\n' > "$scratch/up.c"
	cc -c -o "$scratch/up.o" "$scratch/up.c" && ar rcs "$scratch/libup.a" "$scratch/up.o" &&
		cc -c -o "$scratch/main.o" "$src/tests/structure/link_main.c"
	if cc -o "$scratch/prog" "$scratch/main.o" -Wl,--whole-archive "$scratch/libup.a" \
		-Wl,--no-whole-archive "$build/liblf_core.a" 2> "$scratch/link.err"; then
		echo "FAIL: a core object calling the server linked against core alone"; fails=1
	elif ! grep -q "undefined reference to .lf_serve" "$scratch/link.err"; then
		echo "FAIL: the link failed, but not on the upward call:"; cat "$scratch/link.err"; fails=1
	fi
fi
[ $fails = 0 ] && echo "ok   the layers hold, and the check catches an upward include and sqlite3.h in the domain"
exit $fails
