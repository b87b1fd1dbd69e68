#!/usr/bin/env bash
# tests/fuzz/run.sh BUILD SECONDS - seeds the corpora from the golden cases
# and the shipped models, then runs each libFuzzer target for SECONDS.
set -euo pipefail
build=$1
seconds=$2
corpus="$build/corpus"
mkdir -p "$corpus/expr" "$corpus/model" "$corpus/routing"
i=0
grep -h '^expr:' tests/golden/expr/*.test | sed 's/^expr: \{0,1\}//' | while IFS= read -r line; do
	i=$((i + 1)); printf '%s' "$line" > "$corpus/expr/golden-$i"
done
cp models/*.yaml examples/models/*.yaml tests/golden/model/*.yaml "$corpus/model/"
cp examples/routing/*.yaml "$corpus/routing/"
for t in expr model routing; do
	echo "fuzzing the $t target for $seconds s ..."
	"$build/fuzz_$t" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
		"$corpus/$t" 2>&1 | grep -E 'stat::number_of_executed_units|Done|ERROR|SUMMARY|crash' || true
done
