# test_one_door.sh - every stage change goes through move/move.c: no
# other file of the library appends a transition or queues one's outbox event,
# and no file but the source rule spells the 'sales' source. (The demo
# world's sink writes a synthetic history straight into an empty store.)
. "$(dirname "$0")/lib.sh"

writers=$(grep -rlE 'lf_notify_transition|lf_store_transition_append' "$SRC/src" \
	--include=*.c | sed "s|$SRC/||" | sort | tr '\n' ' ')
check "only the door, the notifier it calls and the demo sink write transitions ($writers)" \
	test "$writers" = "src/demo/sinks.c src/move/move.c src/notify/notify.c "
spelled=$(grep -rn '"sales"' "$SRC/src" --include=*.c --include=*.h | grep -v '#define LF_SOURCE_SALES' |
	sed "s|$SRC/||")
check "the 'sales' source is spelled once ($spelled)" test -z "$spelled"
sqlspelled=$(grep -rn "'sales'" "$SRC/src/store" | sed "s|$SRC/||")
check "the SQL binds the sales source instead of spelling it ($sqlspelled)" test -z "$sqlspelled"
finish
