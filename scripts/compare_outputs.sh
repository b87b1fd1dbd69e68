#!/bin/bash
# compare_outputs.sh OLD_BIN NEW_BIN - the same demo world built by two
# leadflow binaries, then every report, list and show in every format by
# each, under one frozen clock (faketime), compared byte for byte: a change
# meant to leave behaviour alone shows it did. Prints the differences and
# exits 1 when there are any.
#   git worktree add /tmp/before HEAD~1 && cmake -S /tmp/before -B /tmp/before/build \
#     && cmake --build /tmp/before/build --target leadflow
#   scripts/compare_outputs.sh /tmp/before/build/leadflow build/leadflow
set -u
[ $# = 2 ] || { echo "usage: $0 OLD_BIN NEW_BIN" >&2; exit 2; }
command -v faketime >/dev/null || { echo "$0: needs faketime (apt-get install faketime)" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
old=$(realpath "$1") new=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

outputs() { # BIN DIR
	local bin=$1 i=0 f
	mkdir -p "$2" && cd "$2" || return
	run() { i=$((i + 1)); "$bin" --db w.db "$@" > "$(printf %03d $i).out" 2>&1; echo "rc=$?" >> "$(printf %03d $i).out"; }
	run init
	run demo --leads 20000
	run model add "$root/models/default.yaml"
	run model activate 1
	run model add "$root/examples/models/x_education.yaml"
	run routing set "$root/examples/routing/demo.yaml"
	run gate run
	for f in table csv json; do
		for r in funnel clicks-vs-feeling calibration feedback effort capacity forecast sla gate; do
			run --format $f report $r
		done
		run --format $f report funnel --source webinar
		run --format $f report clicks-vs-feeling --outcome won
		run --format $f report effort --team emea
		run --format $f lead list
		for l in 1 7; do run --format $f lead show $l; run --format $f lead explain $l; done
		run --format $f model list
		run --format $f model show 1
		run --format $f model show 2
		run --format $f model diff 1 2
		run --format $f model backtest 1
		run --format $f rep list
		run --format $f gate show
		run --format $f gate history
		run --format $f gate sla
		run --format $f routing show
		run --format $f config show
		run --format $f simulate
		run --format $f simulate --reps 2
		run --format $f token list
		run --format $f webhook list
	done
}
export -f outputs
export root
faketime -f '2026-12-02 12:00:00' bash -c "outputs '$old' '$work/old'" &
faketime -f '2026-12-02 12:00:00' bash -c "outputs '$new' '$work/new'"
wait
n=$(ls "$work/new" | grep -c '\.out$')
if diff -r -x 'w.db*' "$work/old" "$work/new" > "$work/diff"; then
	echo "identical: $n outputs"
else
	head -200 "$work/diff"
	echo "differ: $(grep -c '^diff ' "$work/diff") of $n outputs"
	exit 1
fi
