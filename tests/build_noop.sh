# build_noop.sh SRC BUILD - configuring again with nothing changed, then
# building, does nothing: no file is compiled or linked (`make` after `make`).
set -u
src=$1 build=$2
cmake -S "$src" -B "$build" >/dev/null || exit 1
out=$(cmake --build "$build" -- -n 2>&1 | grep -E ' -o [^ ]+\.(o|c\.o)|-o [^ ]*leadflow|Linking' | head -5)
if [ -n "$out" ]; then
	echo "FAIL: a build with nothing changed would run:"
	echo "$out"
	exit 1
fi
echo "ok   a configure and build with nothing changed does nothing"
