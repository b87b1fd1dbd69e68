#!/usr/bin/env bash
# tests/structure/test_contract.sh - every operation a store backend provides
# (the function pointers of src/store/backend.h) is called by a case of the
# store contract (tests/unit/store_contract*.c), so a second backend is held
# to all of it. Prints the operations no case calls.
set -euo pipefail
src=${1:-.}
ops=$(grep -o '(\*[a-z_0-9]*)' "$src/src/store/backend.h" | tr -d '(*)' | sort -u)
[ -n "$ops" ] || { echo "FAIL: no operations found in src/store/backend.h"; exit 1; }
missing=0
for op in $ops; do
	if ! grep -q "lf_store_${op}(" "$src"/tests/unit/store_contract*.c; then
		echo "FAIL: no contract case calls lf_store_${op}"
		missing=$((missing + 1))
	fi
done
echo "$(echo "$ops" | wc -l) operations, $missing without a contract case"
[ "$missing" -eq 0 ]
