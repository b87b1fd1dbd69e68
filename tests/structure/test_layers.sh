# test_layers.sh - the tree keeps its layers (check_layers.py), and the check
# can fail: on scratch files that include upwards or a library of another layer.
set -u
src=$1 build=${2:-}
check=$src/tests/structure/check_layers.py
fails=0
out=$(python3 "$check" "$src") || { echo "FAIL: the tree breaks its layers:"; echo "$out"; fails=1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# caught TEXT AS_PATH WANT WHAT: the check, reading TEXT as if it stood at
# AS_PATH, fails with exactly WANT
caught() {
	printf '%b' "$1" > "$scratch/file"
	local got
	got=$(python3 "$check" "$src" --as "$2" "$scratch/file")
	[ $? = 1 ] && [ "$got" = "$3" ] || { echo "FAIL: $4 is not caught: [$got]"; fails=1; }
}
caught '#include <sqlite3.h>\n#include "score/engine.h"\n' src/score/scratch.c \
	"src/score/scratch.c:1: score includes <sqlite3.h>, which only store may" \
	"a domain file including sqlite3.h"
caught '#include "server/http.h"\n' src/store/scratch.c \
	"src/store/scratch.c:1: store includes 'server/http.h' from server, a layer above it" \
	"an upward include"
# the command line reaches the library through include/leadflow/ only
caught '#include "cli.h"\n#include <leadflow/model.h>\n#include "core/buf.h"\n' src/cli/scratch.c \
	"src/cli/scratch.c:3: cli includes the internal header 'core/buf.h'; the command line uses include/leadflow/ only" \
	"the CLI including an internal header"
# a public header belongs to its layer: the domain cannot reach the server through one
caught '#include <leadflow/score.h>\n#include <leadflow/serve.h>\n' src/score/scratch.c \
	"src/score/scratch.c:2: score includes <leadflow/serve.h> from server, a layer above it" \
	"an upward include of a public header"
# and a public header includes public headers only
caught '#include <leadflow/types.h>\n#include "core/grow.h"\n' include/leadflow/types.h \
	"include/leadflow/types.h:2: a public header includes 'core/grow.h'; it may include only <leadflow/...> and system headers" \
	"a public header including an internal one"
# no circles between the library's files (read from the objects: who calls whom)
if [ -n "$build" ] && [ -d "$build/CMakeFiles" ]; then
	circles=$src/tests/structure/check_circles.py
	out=$(find "$build"/CMakeFiles/lf_*.dir -name '*.c.o' | sort | xargs python3 "$circles") ||
		{ echo "FAIL: circles between files:"; echo "$out"; fails=1; }
	mkdir -p "$scratch/src/x"
	printf 'int pong(int);\nint ping(int n) { return n ? pong(n - 1) : 0; }\n' > "$scratch/ping.c"
	printf 'int ping(int);\nint pong(int n) { return ping(n); }\n' > "$scratch/pong.c"
	cc -c -o "$scratch/src/x/ping.c.o" "$scratch/ping.c" && cc -c -o "$scratch/src/x/pong.c.o" "$scratch/pong.c"
	got=$(python3 "$circles" "$scratch/src/x/ping.c.o" "$scratch/src/x/pong.c.o" | head -1)
	[ "$got" = "circle: x/ping <-> x/pong" ] ||
		{ echo "FAIL: two files calling each other are not caught: [$got]"; fails=1; }
fi
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
[ $fails = 0 ] && echo "ok   the layers hold, and the check catches an upward include, sqlite3.h in the domain, an internal header in the CLI or a public header, and a circle"
exit $fails
