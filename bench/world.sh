# bench/world.sh - sourced by the benchmarks: demo_world LF DB LEADS builds
# a demo world of LEADS leads (seed 1) into DB, scored by the default model,
# unless DB holds one already (delete it to build again).
demo_world() {
	local lf=$1 db=$2 leads=$3
	[ -s "$db" ] && return 0
	echo "building a demo world of $leads leads into $db, default model active ..."
	"$lf" --db "$db" init >/dev/null
	"$lf" --db "$db" demo --leads "$leads" --seed 1 >/dev/null
	"$lf" --db "$db" model add models/default.yaml >/dev/null
	"$lf" --db "$db" model activate 1 >/dev/null
}
