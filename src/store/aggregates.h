/*
 * aggregates.h - the reports' aggregates in SQLite, as SQL text: what the
 * migration that made them (14) and `leadflow report rebuild` both run, so
 * that the aggregates kept change by change and the ones recomputed from
 * scratch come from one definition.
 *
 * Two levels:
 * - lead_facts: one narrow row per lead with what the reports read of it,
 *   kept by the change that touches the lead, a transition or a touch: a
 *   new transition or touch, a stage or a score band updates the row in
 *   place; a new lead, a new owner or source (a new cohort) and an erased
 *   touch recompute it from the lead, its transitions and its touches
 *   (AGG_FACTS_OF, the pattern of `held`). It holds the lead's cohort,
 *   the stages it has been at (a mask of LF_STAGE_BIT: its stage now and
 *   every transition's from and to; never taken away), its first rating,
 *   its scores in 1-point bands, the effort sales put in (handed to sales,
 *   first touched, touches, minutes: banded as the aggregates read them), whether reps overrode a rule's
 *   disqualification, and the last transition counted (tmax).
 * - the aggregates, keyed by cohort (the week a lead was created, its
 *   source, campaign and its owner's team: the reports' filters) and kept
 *   by triggers on lead_facts: a row added when a facts row is inserted,
 *   taken away when it is deleted, moved when what a table reads of it is
 *   updated (a cohort only changes by delete and insert): agg_paths (stages), agg_signal (score
 *   bands and ratings against stages), agg_effort (effort bands), and
 *   agg_decision (transitions with a reason or a rating, up to tmax, which
 *   is how a new transition is counted exactly once: the facts row deleted
 *   before it takes away the decisions it had counted, not the new one),
 *   and agg_rule (rejects, disqualifications and losses under each rule the
 *   lead fired when it was last scored: leads.rules, a mask of the model's
 *   rules, fit rules first; rules past the 64th are not broken out).
 *
 * A period that does not start or end on a week's edge reads the leads of
 * the partial weeks from lead_facts (index by created_at), so a report's
 * cost grows with the cohorts and a week of leads, never with all leads.
 * Rows whose counts fell to 0 stay (a cohort that had leads); readers skip
 * them. Weeks start on Monday, UTC: (day + 3) / 7 counts from 1969-12-29.
 */
#ifndef LF_STORE_AGGREGATES_H
#define LF_STORE_AGGREGATES_H

#include <leadflow/store.h>
#include <leadflow/types.h>

#define AGG_DAY_MS 86400000
#define AGG_WEEK_SQL(T) "((" T ") / 86400000 + 3) / 7"

/* LF_STAGE_BIT of a stage's name (0 for a name this binary does not know) */
#define AGG_STAGE_BIT(X)                                                          \
	"(CASE " X " WHEN 'lead' THEN 1 WHEN 'mql' THEN 2 WHEN 'assigned' THEN 4"  \
	" WHEN 'sal' THEN 8 WHEN 'sql' THEN 16 WHEN 'opportunity' THEN 32"         \
	" WHEN 'won' THEN 64 WHEN 'lost' THEN 128 WHEN 'recycled' THEN 256"        \
	" WHEN 'disqualified' THEN 512 ELSE 0 END)"

/* the 1-point band of a score: its floor */
#define AGG_BAND(X) "(CAST(" X " AS INTEGER) - (" X " < CAST(" X " AS INTEGER)))"

/*
 * The feedback report's kind of a transition t: a reason given on the way
 * to recycled, disqualified, lost or won; '' for the rest (a rating
 * alone, a requalification), which count only in the ratings.
 */
#define AGG_KIND(T)                                                               \
	"(CASE WHEN " T ".reason IS NULL THEN ''"                                   \
	" WHEN " T ".to_stage = 'recycled' THEN 'reject'"                           \
	" WHEN " T ".to_stage = 'disqualified' THEN 'disqualify'"                   \
	" WHEN " T ".to_stage IN ('lost', 'won') THEN " T ".to_stage ELSE '' END)"
#define AGG_REASON(T) "(CASE WHEN " AGG_KIND(T) " = '' THEN '' ELSE " T ".reason END)"

/*
 * The wait D (ms) from handoff to first touch in tenths of an hour, rounded
 * up to a step that grows with it: a tenth up to 1 h, half an hour up to
 * 4 h, an hour up to a day, 6 hours up to a week, a day up to 60 days, a
 * week beyond; -1 never touched. Rounded up and aligned, so that the
 * effort report's bands (<= 1 h, <= 4 h, <= 24 h) are "<= 10, 40, 240".
 */
#define AGG_WAIT(D)                                                               \
	"(CASE WHEN " D " IS NULL THEN -1 WHEN " D " <= 0 THEN 0"                   \
	" WHEN " D " <= 3600000 THEN (" D " + 359999) / 360000"                     \
	" WHEN " D " <= 14400000 THEN ((" D " + 1799999) / 1800000) * 5"            \
	" WHEN " D " <= 86400000 THEN ((" D " + 3599999) / 3600000) * 10"           \
	" WHEN " D " <= 604800000 THEN ((" D " + 21599999) / 21600000) * 60"        \
	" WHEN " D " <= 5184000000 THEN ((" D " + 86399999) / 86400000) * 240"      \
	" ELSE ((" D " + 604799999) / 604800000) * 1680 END)"

/* a transition t that is a rule's disqualification, and one that takes a lead back */
#define AGG_RULED(T)                                                              \
	"(" T ".to_stage = 'disqualified' AND " T ".actor = 'model' AND " T ".reason IS NOT NULL)"
#define AGG_REQUALIFY(T)                                                          \
	"(" T ".from_stage = 'disqualified' AND " T ".reason IS NOT NULL"              \
	" AND " T ".to_stage NOT IN ('recycled', 'disqualified', 'lost', 'won'))"

/*
 * The forecast's facts (report/forecast.c). A lead qualified at its first
 * move to one of AGG_QUALIFIED; a move an import wrote without a date
 * (transitions.undated) dates the qualification at the lead's created_at,
 * the day the source says it began. AGG_AT(T): a transition's time for the
 * forecast, -1 when undated (reached, when not known). AGG_REACHED: the
 * first time lead ID reached stage STAGE (an SQL expression), NULL never.
 * AGG_VALUE: a lead's close_value attribute when it is a number, which the
 * pipeline sums (another value field reads the open leads themselves).
 */
#define AGG_QUALIFIED "('mql', 'assigned', 'sal', 'sql', 'opportunity', 'won', 'lost')"
#define AGG_AT(T) "(CASE WHEN " T ".undated THEN -1 ELSE " T ".at END)"
#define AGG_REACHED(ID, STAGE)                                                    \
	"(SELECT " AGG_AT("t") " FROM transitions t WHERE t.lead_id = " ID           \
	" AND t.to_stage = " STAGE " ORDER BY t.id LIMIT 1)"
#define AGG_VALUE_FIELD LF_VALUE_FIELD
#define AGG_VALUE(A)                                                              \
	"(CASE WHEN json_type(" A ", '$." AGG_VALUE_FIELD "') IN ('integer', 'real')" \
	" THEN json_extract(" A ", '$." AGG_VALUE_FIELD "') END)"
/* stage bits: sql and opportunity (the pipeline's), and LF_DECIDED's */
#define AGG_SQL_BIT "16"
#define AGG_OPP_BIT "32"
#define AGG_WON_BIT "64"
#define AGG_DECIDED_BITS "960"

/* The cohorts of the leads WHERE (leads l, owners p) selects, made when new. */
#define AGG_COHORTS(WHERE)                                                        \
	" INSERT INTO cohorts(week, source, campaign, team)"                         \
	" SELECT DISTINCT " AGG_WEEK_SQL("l.created_at") ", l.source, l.campaign, p.team" \
	" FROM leads l LEFT JOIN reps p ON p.id = l.owner_rep_id WHERE " WHERE       \
	" AND NOT EXISTS (SELECT 1 FROM cohorts c WHERE"                             \
	"  c.week = " AGG_WEEK_SQL("l.created_at") " AND c.source IS l.source"       \
	"  AND c.campaign IS l.campaign AND c.team IS p.team);"

/*
 * The facts rows of the leads WHERE selects (their cohorts made first).
 * Each correlated subquery is named once: SQLite flattens the subquery x
 * into the insert, and a column named twice would be computed twice.
 */
#define AGG_FACTS_FILL(WHERE)                                                     \
	AGG_COHORTS(WHERE)                                                          \
	" INSERT INTO lead_facts SELECT l.id, l.created_at,"                         \
	"  (SELECT c.id FROM cohorts c WHERE c.week = " AGG_WEEK_SQL("l.created_at")  \
	"   AND c.source IS l.source AND c.campaign IS l.campaign"                   \
	"   AND c.team IS p.team),"                                                  \
	"  " AGG_STAGE_BIT("l.stage") " | coalesce((SELECT sum(DISTINCT "            \
	AGG_STAGE_BIT("t.to_stage") ") | sum(DISTINCT " AGG_STAGE_BIT("t.from_stage") ")" \
	"   FROM transitions t WHERE t.lead_id = l.id), 0),"                          \
	"  coalesce((SELECT t.rating FROM transitions t WHERE t.lead_id = l.id"      \
	"   AND t.rating IS NOT NULL ORDER BY t.id LIMIT 1), 0),"                    \
	"  " AGG_BAND("l.fit") ", " AGG_BAND("l.engagement") ", " AGG_BAND("l.total") "," \
	"  coalesce(l.model_version, 0), l.rules,"                                    \
	"  coalesce(l.source = '" LF_SOURCE_SALES "', 0),"                             \
	"  (SELECT min(t.at) FROM transitions t WHERE t.lead_id = l.id AND"          \
	"   (t.to_stage = 'assigned' OR (t.to_stage = 'sql' AND l.source = '" LF_SOURCE_SALES "'))),"  \
	"  (SELECT min(o.at) FROM touches o WHERE o.lead_id = l.id),"                \
	"  (SELECT count(*) FROM touches o WHERE o.lead_id = l.id),"                 \
	"  coalesce((SELECT sum(o.minutes) FROM touches o WHERE o.lead_id = l.id), 0)," \
	"  EXISTS (SELECT 1 FROM transitions d WHERE d.lead_id = l.id AND " AGG_RULED("d") ")," \
	"  EXISTS (SELECT 1 FROM transitions q JOIN transitions d"                   \
	"   ON d.lead_id = q.lead_id AND d.id < q.id WHERE q.lead_id = l.id"         \
	"   AND " AGG_REQUALIFY("q") " AND " AGG_RULED("d") "),"                        \
	"  coalesce((SELECT max(t.id) FROM transitions t WHERE t.lead_id = l.id), 0)," \
	"  " AGG_STAGE_BIT("l.stage") ","                                              \
	"  CASE WHEN coalesce(l.source = '" LF_SOURCE_SALES "', 0) THEN NULL ELSE"     \
	"   (SELECT CASE WHEN t.undated THEN l.created_at ELSE t.at END"             \
	"   FROM transitions t WHERE t.lead_id = l.id AND t.to_stage IN " AGG_QUALIFIED \
	"   ORDER BY t.id LIMIT 1) END,"                                               \
	"  " AGG_REACHED("l.id", "'sql'") ", " AGG_REACHED("l.id", "'opportunity'") "," \
	"  " AGG_REACHED("l.id", "l.stage") ", " AGG_VALUE("l.attrs")                  \
	" FROM leads l LEFT JOIN reps p ON p.id = l.owner_rep_id WHERE " WHERE ";"

/* the effort bands of a facts row R: the wait to the first touch, the minutes */
#define AGG_WAIT_OF(R) AGG_WAIT("max(" R ".first_touch_at - " R ".handed_at, 0)")
#define AGG_MINUTES_OF(R)                                                         \
	"(CASE WHEN " R ".minutes < 15 THEN 0 WHEN " R ".minutes <= 60 THEN 1 ELSE 2 END)"

/* the facts of the lead whose id is the SQL expression ID, recomputed */
#define AGG_FACTS_OF(ID)                                                          \
	" DELETE FROM lead_facts WHERE lead_id = " ID ";" AGG_FACTS_FILL("l.id = " ID)

/* agg_signal's rows of facts row R (NEW or OLD) with sign S, where WHEN holds */
#define AGG_SIGNAL_APPLY(R, S, WHEN)                                             \
	" INSERT INTO agg_signal SELECT 0, " R ".fit_b, " R ".stages, " R ".cohort, " S ", " R ".sales" \
	"  WHERE " WHEN " UNION ALL SELECT 1, " R ".eng_b, " R ".stages, " R ".cohort, " S ", " R ".sales" \
	"  WHERE " WHEN " UNION ALL SELECT 2, " R ".total_b, " R ".stages, " R ".cohort, " S ", " R ".sales" \
	"  WHERE " WHEN " UNION ALL SELECT 3, " R ".rating, " R ".stages, " R ".cohort, " S ", " R ".sales" \
	"  WHERE " WHEN " AND " R ".rating <> 0"                                      \
	"  ON CONFLICT DO UPDATE SET n = n + excluded.n;"
/* agg_effort's row of facts row R with sign S, when it was handed to sales */
#define AGG_EFFORT_APPLY(R, S)                                                    \
	" INSERT INTO agg_effort SELECT " R ".cohort, " AGG_WAIT_OF(R) ", " AGG_MINUTES_OF(R) "," \
	"  " R ".stages, " S ", " S " * " R ".touches, " S " * " R ".minutes"          \
	"  WHERE " R ".handed_at IS NOT NULL ON CONFLICT DO UPDATE SET n = n + excluded.n," \
	"  touches = touches + excluded.touches, minutes = minutes + excluded.minutes;"
/* agg_decision's rows of facts row R's transitions FROM < id <= R.tmax, sign S */
#define AGG_DECISION_APPLY(R, S, FROM)                                            \
	" INSERT INTO agg_decision SELECT " R ".cohort, " AGG_KIND("t") ","          \
	"  " AGG_REASON("t") ", " S " * count(*), " S " * count(t.rating),"           \
	"  " S " * coalesce(sum(t.rating), 0) FROM transitions t"                    \
	"  WHERE t.lead_id = " R ".lead_id AND t.id > " FROM " AND t.id <= " R ".tmax" \
	"  AND (t.reason IS NOT NULL OR t.rating IS NOT NULL) GROUP BY 2, 3"         \
	"  ON CONFLICT DO UPDATE SET n = n + excluded.n, rated = rated + excluded.rated," \
	"  rating_sum = rating_sum + excluded.rating_sum;"

/*
 * agg_rule's rows of facts row R's decisions FROM < id <= R.tmax (rejects,
 * disqualifications and losses with their reason) under each rule R.rules
 * has (bit i: the model's i-th rule, fit rules first), sign S.
 */
#define AGG_RULE_APPLY(R, S, FROM)                                                \
	" INSERT INTO agg_rule SELECT " R ".cohort, " R ".version, b.i, " AGG_KIND("t") "," \
	"  t.reason, " S " * count(*), " S " * count(t.rating),"                      \
	"  " S " * coalesce(sum(t.rating), 0) FROM transitions t JOIN agg_bits b"     \
	"  ON (" R ".rules >> b.i) & 1"                                              \
	"  WHERE " R ".rules <> 0 AND t.lead_id = " R ".lead_id AND t.id > " FROM       \
	"  AND t.id <= " R ".tmax AND " AGG_KIND("t") " IN ('reject', 'disqualify', 'lost')" \
	"  GROUP BY 3, 4, 5"                                                           \
	"  ON CONFLICT DO UPDATE SET n = n + excluded.n, rated = rated + excluded.rated," \
	"  rating_sum = rating_sum + excluded.rating_sum;"

/*
 * The forecast's counts of facts row R with sign S: agg_qualified (leads
 * qualified per day), agg_close (a decided lead that had reached sql or an
 * opportunity: whether it was won, and the days from that stage to its
 * close in tenths, -1 when a date is not known) and agg_open (a lead at
 * sql or an opportunity now: the day it got there, -1 when not known, and
 * its value).
 */
#define AGG_TENTHS(R, AT)                                                         \
	"(CASE WHEN " R "." AT " > 0 AND " R ".stage_at > " R "." AT                   \
	" THEN (" R ".stage_at - " R "." AT " + 4320000) / 8640000 ELSE -1 END)"
#define AGG_OPEN_DAY(R) "(CASE WHEN " R ".stage_at > 0 THEN " R ".stage_at / 86400000 ELSE -1 END)"
#define AGG_CLOSE_ONE(HEAD, R, S, BIT, AT, FROM)                                  \
	" SELECT " HEAD BIT ", " R ".stage = " AGG_WON_BIT ","              \
	"  " AGG_TENTHS(R, AT) ", " S                                                  \
	FROM "  WHERE " R ".stage & " AGG_DECIDED_BITS " AND " R "." AT " IS NOT NULL"
#define AGG_FORECAST_APPLY(R, S)                                                  \
	" INSERT INTO agg_qualified SELECT " R ".cohort, " R ".qualified_at / 86400000, " S \
	"  WHERE " R ".qualified_at IS NOT NULL ON CONFLICT DO UPDATE SET n = n + excluded.n;" \
	" INSERT INTO agg_close" AGG_CLOSE_ONE(R ".cohort, ", R, S, AGG_SQL_BIT, "sql_at", "") \
	"  UNION ALL" AGG_CLOSE_ONE(R ".cohort, ", R, S, AGG_OPP_BIT, "opp_at", "")     \
	"  ON CONFLICT DO UPDATE SET n = n + excluded.n;"                             \
	" INSERT INTO agg_close_all" AGG_CLOSE_ONE("", R, S, AGG_SQL_BIT, "sql_at", "") \
	"  UNION ALL" AGG_CLOSE_ONE("", R, S, AGG_OPP_BIT, "opp_at", "")               \
	"  ON CONFLICT DO UPDATE SET n = n + excluded.n;"                             \
	" INSERT INTO agg_open SELECT " R ".cohort, " R ".stage, " AGG_OPEN_DAY(R) ", " S "," \
	"  " S " * (" R ".value IS NOT NULL), " S " * coalesce(" R ".value, 0)"         \
	"  WHERE " R ".stage IN (" AGG_SQL_BIT ", " AGG_OPP_BIT ")"                     \
	"  ON CONFLICT DO UPDATE SET n = n + excluded.n, valued = valued + excluded.valued," \
	"  value = value + excluded.value;"

/* One facts row R (NEW or OLD) added to every aggregate with sign S (1, -1). */
#define AGG_APPLY(R, S)                                                           \
	" INSERT INTO agg_paths VALUES (" R ".cohort, " R ".stages, " R ".override, " S ")" \
	"  ON CONFLICT DO UPDATE SET n = n + excluded.n;"                            \
	AGG_SIGNAL_APPLY(R, S, "1") AGG_EFFORT_APPLY(R, S) AGG_DECISION_APPLY(R, S, "0") \
	AGG_RULE_APPLY(R, S, "0") AGG_FORECAST_APPLY(R, S)

/*
 * What capacity measures from every lead sales has held (gate/capacity.c),
 * a row per owned lead in work_facts, recomputed by the change that moves
 * it (WORK_OF, as `held`): the touch minutes of its assigned-to-sql life
 * once that is over (lead_min), of its opportunity once closed (opp_min),
 * and the days that opportunity took (opp_days, to the tenth); and
 * agg_work, per rep, how many leads had each value.
 */
#define WORK_FILL(WHERE)                                                          \
	" INSERT INTO work_facts SELECT x.id, x.owner_rep_id, x.a,"                  \
	"  CASE WHEN x.a IS NOT NULL AND (x.o IS NOT NULL OR x.stage NOT IN"         \
	"   ('assigned', 'sal', 'sql')) THEN coalesce((SELECT sum(h.minutes)"          \
	"   FROM touches h WHERE h.lead_id = x.id"                                     \
	"   AND h.at < coalesce(x.o, 9223372036854775807)), 0) END,"                   \
	"  CASE WHEN x.o IS NOT NULL AND x.c IS NOT NULL THEN coalesce((SELECT"       \
	"   sum(h.minutes) FROM touches h WHERE h.lead_id = x.id AND h.at >= x.o), 0) END," \
	"  CASE WHEN x.o IS NOT NULL AND x.c IS NOT NULL"                             \
	"   THEN round((x.c - x.o) / 86400000.0, 1) END"                               \
	" FROM (SELECT l.id, l.owner_rep_id, l.stage,"                               \
	"   (SELECT min(t.at) FROM transitions t WHERE t.lead_id = l.id"              \
	"     AND t.to_stage = 'assigned') AS a,"                                      \
	"   (SELECT min(t.at) FROM transitions t WHERE t.lead_id = l.id"              \
	"     AND t.to_stage = 'opportunity') AS o,"                                   \
	"   (SELECT max(t.at) FROM transitions t WHERE t.lead_id = l.id"              \
	"     AND t.to_stage IN ('won', 'lost')) AS c"                                 \
	"   FROM leads l WHERE " WHERE " AND l.owner_rep_id IS NOT NULL) x;"
#define WORK_OF(ID) " DELETE FROM work_facts WHERE lead_id = " ID ";" WORK_FILL("l.id = " ID)
/* work_facts row R (NEW or OLD) into agg_work with sign S */
#define WORK_APPLY(R, S)                                                          \
	" INSERT INTO agg_work SELECT " R ".rep_id, 0, " R ".lead_min, " S             \
	"  WHERE " R ".lead_min IS NOT NULL"                                          \
	"  UNION ALL SELECT " R ".rep_id, 1, " R ".opp_min, " S " WHERE " R ".opp_min IS NOT NULL" \
	"  UNION ALL SELECT " R ".rep_id, 2, " R ".opp_days, " S " WHERE " R ".opp_days IS NOT NULL" \
	"  ON CONFLICT DO UPDATE SET n = n + excluded.n;"

/*
 * The load sales carries now (held_load), from the leads it holds (`held`,
 * migration 13, whose rows a change deletes and inserts again): row R of
 * held (NEW or OLD) with sign S, a lead at its minutes before any
 * opportunity, an opportunity at its minutes since.
 */
#define HELD_LOAD_KEY(R)                                                          \
	R ".rep_id, " R ".stage = 'opportunity', CASE WHEN " R ".stage = 'opportunity'" \
	" THEN " R ".minutes_after ELSE " R ".minutes_before END"
#define HELD_LOAD_APPLY(R, S)                                                     \
	" INSERT INTO held_load VALUES (" HELD_LOAD_KEY(R) ", " S ")"                 \
	"  ON CONFLICT DO UPDATE SET n = n + excluded.n;"

/*
 * The aggregates follow the facts rows: an insert adds, a delete takes
 * away, an update moves the lead between the rows of the tables that read
 * what changed (a new transition adds only its own decision).
 */
/* NAME_add and NAME_sub: a row of TABLE inserted APPLYs +1, deleted -1 */
#define AGG_PAIR(NAME, TABLE, APPLY)                                              \
	"CREATE TRIGGER " NAME "_add AFTER INSERT ON " TABLE " BEGIN"                 \
	APPLY("NEW", "1") "END;"                                                      \
	"CREATE TRIGGER " NAME "_sub AFTER DELETE ON " TABLE " BEGIN"                 \
	APPLY("OLD", "-1") "END;"
#define AGG_TRIGGERS                                                              \
	AGG_PAIR("facts", "lead_facts", AGG_APPLY)                                    \
	"CREATE TRIGGER facts_paths AFTER UPDATE OF stages, override ON lead_facts"   \
	" WHEN OLD.stages <> NEW.stages OR OLD.override <> NEW.override BEGIN"        \
	" INSERT INTO agg_paths VALUES (OLD.cohort, OLD.stages, OLD.override, -1),"  \
	"  (NEW.cohort, NEW.stages, NEW.override, 1)"                                  \
	"  ON CONFLICT DO UPDATE SET n = n + excluded.n; END;"                       \
	"CREATE TRIGGER facts_signal AFTER UPDATE OF stages, rating, fit_b, eng_b, total_b" \
	" ON lead_facts WHEN OLD.stages <> NEW.stages OR OLD.rating <> NEW.rating"    \
	" OR OLD.fit_b <> NEW.fit_b OR OLD.eng_b <> NEW.eng_b OR OLD.total_b <> NEW.total_b" \
	" BEGIN" AGG_SIGNAL_APPLY("OLD", "-1", "1") AGG_SIGNAL_APPLY("NEW", "1", "1") "END;" \
	"CREATE TRIGGER facts_effort AFTER UPDATE OF stages, handed_at, first_touch_at,"  \
	" touches, minutes ON lead_facts BEGIN"                                       \
	AGG_EFFORT_APPLY("OLD", "-1") AGG_EFFORT_APPLY("NEW", "1") "END;"             \
	"CREATE TRIGGER facts_decision AFTER UPDATE OF tmax ON lead_facts"            \
	" WHEN NEW.tmax > OLD.tmax BEGIN" AGG_DECISION_APPLY("NEW", "1", "OLD.tmax")   \
	AGG_RULE_APPLY("NEW", "1", "OLD.tmax") "END;"                                 \
	"CREATE TRIGGER facts_forecast AFTER UPDATE OF stage, qualified_at, sql_at,"  \
	" opp_at, stage_at, value ON lead_facts WHEN OLD.stage <> NEW.stage"          \
	" OR OLD.qualified_at IS NOT NEW.qualified_at OR OLD.sql_at IS NOT NEW.sql_at" \
	" OR OLD.opp_at IS NOT NEW.opp_at OR OLD.stage_at IS NOT NEW.stage_at"        \
	" OR OLD.value IS NOT NEW.value BEGIN"                                         \
	AGG_FORECAST_APPLY("OLD", "-1") AGG_FORECAST_APPLY("NEW", "1") "END;"         \
	AGG_PAIR("work", "work_facts", WORK_APPLY)                                    \
	AGG_PAIR("held_load", "held", HELD_LOAD_APPLY)                                \
	"CREATE TRIGGER facts_rules AFTER UPDATE OF version, rules ON lead_facts"      \
	" WHEN OLD.version <> NEW.version OR OLD.rules <> NEW.rules BEGIN"            \
	AGG_RULE_APPLY("OLD", "-1", "0") AGG_RULE_APPLY("NEW", "1", "0") "END;"

/*
 * The gate's wake-up: a counter the changes that may let the gate release
 * a lead now move (a hand-raiser, a lead reaching the pool or the current
 * threshold, a lead leaving sales' hands, a rep added or changed), so the
 * server runs the gate after the commit that brought one instead of at its
 * next clock. Its triggers are dropped with the others for a bulk write,
 * whose rebuild moves the counter once.
 */
#define GATE_WAKE " UPDATE gate_wake SET n = n + 1 WHERE id = 1;"
/* the stages at which sales holds a lead (as `held`, migration 13) */
#define AGG_HELD "('assigned', 'sal', 'sql', 'opportunity')"
#define GATE_WAKE_TRIGGERS                                                        \
	"CREATE TRIGGER gate_wake_lead AFTER INSERT ON leads"                         \
	" WHEN NEW.stage = 'mql' OR NEW.hand_raiser_at IS NOT NULL BEGIN" GATE_WAKE "END;" \
	"CREATE TRIGGER gate_wake_stage AFTER UPDATE OF stage ON leads"               \
	" WHEN OLD.stage IS NOT NEW.stage AND (NEW.stage = 'mql'"                     \
	" OR (OLD.stage IN " AGG_HELD " AND NEW.stage NOT IN " AGG_HELD ")) BEGIN"     \
	GATE_WAKE "END;"                                                              \
	"CREATE TRIGGER gate_wake_rep AFTER UPDATE OF away, away_from, away_to, weekly_hours," \
	" max_active ON reps BEGIN" GATE_WAKE "END;"                                  \
	"CREATE TRIGGER gate_wake_rep_new AFTER INSERT ON reps BEGIN" GATE_WAKE "END;"

/*
 * The triggers on a lead's scores (its bands in the facts, the gate's
 * wake-up on a hand-raiser or a lead crossing the threshold). Rescoring
 * every lead drops them (SCORE_DROP) and ends with SCORE_RESUME: the bands
 * and rules of every facts row set in one statement (the aggregates'
 * triggers move what changed), the triggers back, the gate woken once.
 */
#define SCORE_TRIGGERS                                                            \
	"CREATE TRIGGER gate_wake_hand AFTER UPDATE OF hand_raiser_at ON leads"       \
	" WHEN OLD.hand_raiser_at IS NULL AND NEW.hand_raiser_at IS NOT NULL"         \
	" AND NEW.stage IN ('lead', 'mql') BEGIN" GATE_WAKE "END;"                   \
	"CREATE TRIGGER gate_wake_score AFTER UPDATE OF total ON leads"               \
	" WHEN NEW.stage = 'lead' AND NEW.total > OLD.total AND NEW.total >="         \
	" coalesce((SELECT threshold FROM gate_history ORDER BY id DESC LIMIT 1), 0) BEGIN" \
	GATE_WAKE "END;"                                                              \
	/* scores change with every event: only their bands, and only when one \
	 * crosses a point, move the lead between rows of agg_signal */            \
	"CREATE TRIGGER facts_lead_score AFTER UPDATE OF fit, engagement, total,"    \
	" model_version, rules ON leads"                                              \
	" WHEN " AGG_BAND("OLD.fit") " <> " AGG_BAND("NEW.fit")                      \
	" OR " AGG_BAND("OLD.engagement") " <> " AGG_BAND("NEW.engagement")            \
	" OR " AGG_BAND("OLD.total") " <> " AGG_BAND("NEW.total")                      \
	" OR OLD.model_version IS NOT NEW.model_version OR OLD.rules <> NEW.rules BEGIN" \
	" UPDATE lead_facts SET fit_b = " AGG_BAND("NEW.fit") ","                     \
	"  eng_b = " AGG_BAND("NEW.engagement") ", total_b = " AGG_BAND("NEW.total") "," \
	"  version = coalesce(NEW.model_version, 0), rules = NEW.rules"               \
	"  WHERE lead_id = NEW.id; END;"

#define SCORE_DROP                                                                \
	"DROP TRIGGER IF EXISTS gate_wake_hand; DROP TRIGGER IF EXISTS gate_wake_score;" \
	"DROP TRIGGER IF EXISTS facts_lead_score;"
#define SCORE_RESUME                                                              \
	"UPDATE lead_facts SET fit_b = " AGG_BAND("l.fit") ", eng_b = " AGG_BAND("l.engagement") "," \
	" total_b = " AGG_BAND("l.total") ", version = coalesce(l.model_version, 0),"  \
	" rules = l.rules FROM leads l WHERE l.id = lead_facts.lead_id"              \
	" AND (lead_facts.fit_b <> " AGG_BAND("l.fit")                                \
	" OR lead_facts.eng_b <> " AGG_BAND("l.engagement")                           \
	" OR lead_facts.total_b <> " AGG_BAND("l.total")                              \
	" OR lead_facts.version <> coalesce(l.model_version, 0)"                      \
	" OR lead_facts.rules <> l.rules);"                                           \
	SCORE_TRIGGERS GATE_WAKE

/* What changes a lead's facts, each as little as it can. */
#define AGG_SOURCES                                                               \
	GATE_WAKE_TRIGGERS SCORE_TRIGGERS                                             \
	"CREATE TRIGGER facts_lead_insert AFTER INSERT ON leads BEGIN"               \
	AGG_FACTS_OF("NEW.id") WORK_OF("NEW.id") "END;"                               \
	/* capacity's work: what moves `held` moves it (migration 13) */            \
	"CREATE TRIGGER work_lead_move AFTER UPDATE OF stage, owner_rep_id ON leads"  \
	" WHEN OLD.stage IS NOT NEW.stage OR OLD.owner_rep_id IS NOT NEW.owner_rep_id BEGIN" \
	WORK_OF("NEW.id") "END;"                                                      \
	"CREATE TRIGGER work_transition AFTER INSERT ON transitions"                  \
	" WHEN NEW.to_stage IN ('assigned', 'opportunity', 'won', 'lost') BEGIN"       \
	WORK_OF("NEW.lead_id") "END;"                                                 \
	"CREATE TRIGGER work_touch AFTER INSERT ON touches BEGIN"                     \
	WORK_OF("NEW.lead_id") "END;"                                                 \
	/* a lead is rewritten whole on every upsert: only what facts read; a \
	 * new cohort (an owner, a team, a source) is a new row */                   \
	"CREATE TRIGGER facts_lead_cohort AFTER UPDATE OF created_at, source, campaign," \
	" owner_rep_id ON leads WHEN OLD.created_at <> NEW.created_at"               \
	" OR OLD.source IS NOT NEW.source OR OLD.campaign IS NOT NEW.campaign"        \
	" OR OLD.owner_rep_id IS NOT NEW.owner_rep_id BEGIN"                          \
	AGG_FACTS_OF("NEW.id") "END;"                                                 \
	"CREATE TRIGGER facts_lead_stage AFTER UPDATE OF stage ON leads"             \
	" WHEN OLD.stage IS NOT NEW.stage BEGIN"                                      \
	" UPDATE lead_facts SET stages = stages | " AGG_STAGE_BIT("NEW.stage") ","     \
	"  stage = " AGG_STAGE_BIT("NEW.stage") ","                                    \
	"  stage_at = " AGG_REACHED("NEW.id", "NEW.stage")                             \
	"  WHERE lead_id = NEW.id; END;"                                              \
	/* every upsert rewrites the attributes: only a new value moves a row */   \
	"CREATE TRIGGER facts_lead_value AFTER UPDATE OF attrs ON leads"              \
	" WHEN " AGG_VALUE("OLD.attrs") " IS NOT " AGG_VALUE("NEW.attrs") " BEGIN"     \
	" UPDATE lead_facts SET value = " AGG_VALUE("NEW.attrs")                      \
	"  WHERE lead_id = NEW.id; END;"                                              \
	/* transitions come in id order: the first rating is the first one set */  \
	"CREATE TRIGGER facts_transition AFTER INSERT ON transitions BEGIN"          \
	" UPDATE lead_facts SET stages = stages | " AGG_STAGE_BIT("NEW.to_stage")      \
	"  | " AGG_STAGE_BIT("NEW.from_stage") ","                                     \
	"  rating = CASE WHEN rating = 0 THEN coalesce(NEW.rating, 0) ELSE rating END," \
	"  handed_at = CASE WHEN NEW.to_stage = 'assigned' OR (NEW.to_stage = 'sql'"   \
	"   AND (SELECT source FROM leads WHERE id = NEW.lead_id) = '" LF_SOURCE_SALES "')"          \
	"   THEN min(coalesce(handed_at, NEW.at), NEW.at) ELSE handed_at END,"         \
	"  ruled = ruled OR " AGG_RULED("NEW") ","                                     \
	"  override = override OR (ruled AND " AGG_REQUALIFY("NEW") "),"               \
	"  qualified_at = CASE WHEN qualified_at IS NULL AND sales = 0"               \
	"   AND NEW.to_stage IN " AGG_QUALIFIED " THEN CASE WHEN NEW.undated"          \
	"   THEN created_at ELSE NEW.at END ELSE qualified_at END,"                   \
	"  sql_at = CASE WHEN sql_at IS NULL AND NEW.to_stage = 'sql'"                \
	"   THEN " AGG_AT("NEW") " ELSE sql_at END,"                                   \
	"  opp_at = CASE WHEN opp_at IS NULL AND NEW.to_stage = 'opportunity'"        \
	"   THEN " AGG_AT("NEW") " ELSE opp_at END,"                                   \
	/* the stage's first reach, whichever of the lead's stage and its \
	 * transition is written first */                                          \
	"  stage_at = CASE WHEN stage_at IS NULL AND stage = " AGG_STAGE_BIT("NEW.to_stage") \
	"   THEN " AGG_AT("NEW") " ELSE stage_at END,"                                 \
	"  tmax = NEW.id WHERE lead_id = NEW.lead_id; END;"                          \
	"CREATE TRIGGER facts_touch AFTER INSERT ON touches BEGIN"                   \
	" UPDATE lead_facts SET first_touch_at = min(coalesce(first_touch_at, NEW.at), NEW.at)," \
	"  touches = touches + 1, minutes = minutes + NEW.minutes"                    \
	"  WHERE lead_id = NEW.lead_id; END;"                                         \
	"CREATE TRIGGER facts_touch_erase AFTER DELETE ON touches BEGIN"             \
	AGG_FACTS_OF("OLD.lead_id") WORK_OF("OLD.lead_id") "END;"                     \
	/* a rep moved to another team moves their leads' cohorts: as many rows \
	 * as the rep holds, on a change a manager makes now and then */          \
	"CREATE TRIGGER facts_rep_team AFTER UPDATE OF team ON reps"                 \
	" WHEN OLD.team IS NOT NEW.team BEGIN"                                        \
	" DELETE FROM lead_facts WHERE lead_id IN"                                    \
	"  (SELECT id FROM leads WHERE owner_rep_id = NEW.id);"                       \
	AGG_FACTS_FILL("l.owner_rep_id = NEW.id") "END;"

/* Every trigger of the aggregates, dropped: they stop being kept. */
#define AGG_DROP                                                                  \
	"DROP TRIGGER IF EXISTS facts_lead_insert; DROP TRIGGER IF EXISTS facts_lead_cohort;" \
	"DROP TRIGGER IF EXISTS facts_lead_stage; DROP TRIGGER IF EXISTS facts_lead_score;" \
	"DROP TRIGGER IF EXISTS facts_transition; DROP TRIGGER IF EXISTS facts_touch;"  \
	"DROP TRIGGER IF EXISTS facts_touch_erase; DROP TRIGGER IF EXISTS facts_rep_team;" \
	"DROP TRIGGER IF EXISTS facts_add; DROP TRIGGER IF EXISTS facts_sub;"           \
	"DROP TRIGGER IF EXISTS facts_paths; DROP TRIGGER IF EXISTS facts_signal;"      \
	"DROP TRIGGER IF EXISTS facts_effort; DROP TRIGGER IF EXISTS facts_decision;"   \
	"DROP TRIGGER IF EXISTS facts_rules; DROP TRIGGER IF EXISTS work_add;"          \
	"DROP TRIGGER IF EXISTS facts_forecast; DROP TRIGGER IF EXISTS facts_lead_value;" \
	"DROP TRIGGER IF EXISTS held_load_add; DROP TRIGGER IF EXISTS held_load_sub;"   \
	"DROP TRIGGER IF EXISTS work_sub; DROP TRIGGER IF EXISTS work_lead_move;"       \
	"DROP TRIGGER IF EXISTS work_transition; DROP TRIGGER IF EXISTS work_touch;"    \
	"DROP TRIGGER IF EXISTS gate_wake_lead; DROP TRIGGER IF EXISTS gate_wake_hand;" \
	"DROP TRIGGER IF EXISTS gate_wake_stage; DROP TRIGGER IF EXISTS gate_wake_score;" \
	"DROP TRIGGER IF EXISTS gate_wake_rep; DROP TRIGGER IF EXISTS gate_wake_rep_new;"

/*
 * Everything recomputed from the leads, transitions and touches: the
 * triggers are dropped while the facts are filled, the aggregates are
 * summed from the facts in one pass each, and the triggers come back. In
 * the caller's transaction. A bulk write (the demo world, rescoring every
 * lead) drops them first (AGG_DROP) and ends with this, which costs less
 * than keeping the aggregates row by row.
 */
#define AGG_REBUILD                                                               \
	AGG_DROP "DELETE FROM agg_rule; DELETE FROM work_facts; DELETE FROM agg_work;" \
	WORK_FILL("1")                                                                \
	"INSERT INTO agg_work SELECT rep_id, 0, lead_min, count(*) FROM work_facts"   \
	" WHERE lead_min IS NOT NULL GROUP BY 1, 3;"                                   \
	"INSERT INTO agg_work SELECT rep_id, 1, opp_min, count(*) FROM work_facts"    \
	" WHERE opp_min IS NOT NULL GROUP BY 1, 3;"                                    \
	"INSERT INTO agg_work SELECT rep_id, 2, opp_days, count(*) FROM work_facts"   \
	" WHERE opp_days IS NOT NULL GROUP BY 1, 3;"                                   \
	"DELETE FROM lead_facts; DELETE FROM cohorts; DELETE FROM agg_paths;"        \
	"DELETE FROM agg_signal; DELETE FROM agg_effort; DELETE FROM agg_decision;"   \
	"DELETE FROM agg_qualified; DELETE FROM agg_close; DELETE FROM agg_open;"     \
	"DELETE FROM agg_close_all;"                                                  \
	"DELETE FROM held_load; INSERT INTO held_load SELECT " HELD_LOAD_KEY("h") ","   \
	" count(*) FROM held h GROUP BY 1, 2, 3;"                                      \
	AGG_FACTS_FILL("1")                                                           \
	"INSERT INTO agg_paths SELECT cohort, stages, override, count(*)"            \
	" FROM lead_facts GROUP BY 1, 2, 3;"                                          \
	"INSERT INTO agg_signal SELECT 0, fit_b, stages, cohort, count(*), sales"           \
	" FROM lead_facts GROUP BY 2, 3, 4;"                                          \
	"INSERT INTO agg_signal SELECT 1, eng_b, stages, cohort, count(*), sales"           \
	" FROM lead_facts GROUP BY 2, 3, 4;"                                          \
	"INSERT INTO agg_signal SELECT 2, total_b, stages, cohort, count(*), sales"         \
	" FROM lead_facts GROUP BY 2, 3, 4;"                                          \
	"INSERT INTO agg_signal SELECT 3, rating, stages, cohort, count(*), sales"          \
	" FROM lead_facts WHERE rating <> 0 GROUP BY 2, 3, 4;"                        \
	"INSERT INTO agg_effort SELECT x.cohort, " AGG_WAIT_OF("x") ", " AGG_MINUTES_OF("x") "," \
	" x.stages, count(*), sum(x.touches), sum(x.minutes) FROM lead_facts x"       \
	" WHERE x.handed_at IS NOT NULL GROUP BY 1, 2, 3, 4;"                          \
	"INSERT INTO agg_decision SELECT x.cohort, " AGG_KIND("t") ", " AGG_REASON("t") "," \
	" count(*), count(t.rating), coalesce(sum(t.rating), 0)"                      \
	" FROM lead_facts x JOIN transitions t ON t.lead_id = x.lead_id"             \
	" AND t.id <= x.tmax WHERE t.reason IS NOT NULL OR t.rating IS NOT NULL"     \
	" GROUP BY 1, 2, 3;"                                                          \
	"INSERT INTO agg_rule SELECT x.cohort, x.version, b.i, " AGG_KIND("t") ", t.reason," \
	" count(*), count(t.rating), coalesce(sum(t.rating), 0)"                      \
	" FROM lead_facts x JOIN transitions t ON t.lead_id = x.lead_id"             \
	" AND t.id <= x.tmax JOIN agg_bits b ON (x.rules >> b.i) & 1"                 \
	" WHERE x.rules <> 0 AND " AGG_KIND("t") " IN ('reject', 'disqualify', 'lost')" \
	" GROUP BY 1, 2, 3, 4, 5;"                                                     \
	"INSERT INTO agg_qualified SELECT cohort, qualified_at / 86400000, count(*)"   \
	" FROM lead_facts WHERE qualified_at IS NOT NULL GROUP BY 1, 2;"               \
	"INSERT INTO agg_close"                                                       \
	AGG_CLOSE_ONE("x.cohort, ", "x", "count(*)", AGG_SQL_BIT, "sql_at", " FROM lead_facts x") \
	" GROUP BY 1, 3, 4 UNION ALL"                                                 \
	AGG_CLOSE_ONE("x.cohort, ", "x", "count(*)", AGG_OPP_BIT, "opp_at", " FROM lead_facts x") \
	" GROUP BY 1, 3, 4;"                                                           \
	"INSERT INTO agg_close_all SELECT stage, won, tenths, sum(n) FROM agg_close"  \
	" GROUP BY 1, 2, 3;"                                                           \
	"INSERT INTO agg_open SELECT x.cohort, x.stage, " AGG_OPEN_DAY("x") ", count(*),"  \
	" count(x.value), coalesce(sum(x.value), 0) FROM lead_facts x"               \
	" WHERE x.stage IN (" AGG_SQL_BIT ", " AGG_OPP_BIT ") GROUP BY 1, 2, 3;"          \
	AGG_TRIGGERS AGG_SOURCES GATE_WAKE

#define AGG_TABLES                                                                \
	"CREATE TABLE cohorts("                                                      \
	"  id INTEGER PRIMARY KEY, week INTEGER NOT NULL,"                            \
	"  source TEXT, campaign TEXT, team TEXT);"                                   \
	"CREATE INDEX cohorts_key ON cohorts(week, source, campaign, team);"         \
	"CREATE TABLE lead_facts("                                                   \
	"  lead_id INTEGER NOT NULL, created_at INTEGER NOT NULL,"                    \
	"  cohort INTEGER NOT NULL, stages INTEGER NOT NULL, rating INTEGER NOT NULL," \
	"  fit_b INTEGER NOT NULL, eng_b INTEGER NOT NULL, total_b INTEGER NOT NULL," \
	"  version INTEGER NOT NULL, rules INTEGER NOT NULL, sales INTEGER NOT NULL,"  \
	"  handed_at INTEGER, first_touch_at INTEGER,"                               \
	"  touches INTEGER NOT NULL, minutes REAL NOT NULL, ruled INTEGER NOT NULL,"   \
	"  override INTEGER NOT NULL,"                                                \
	"  tmax INTEGER NOT NULL, stage INTEGER NOT NULL, qualified_at INTEGER,"      \
	"  sql_at INTEGER, opp_at INTEGER, stage_at INTEGER, value REAL,"             \
	"  PRIMARY KEY (created_at, lead_id)) WITHOUT ROWID;"                          \
	"CREATE UNIQUE INDEX lead_facts_lead ON lead_facts(lead_id);"                \
	/* the forecast's threshold reads the scores of the recently qualified */  \
	"CREATE INDEX lead_facts_qualified ON lead_facts(qualified_at)"              \
	"  WHERE qualified_at IS NOT NULL;"                                           \
	"CREATE TABLE agg_qualified(cohort INTEGER, day INTEGER, n INTEGER NOT NULL,"  \
	"  PRIMARY KEY (cohort, day)) WITHOUT ROWID;"                                 \
	"CREATE TABLE agg_close(cohort INTEGER, stage INTEGER, won INTEGER,"        \
	"  tenths INTEGER, n INTEGER NOT NULL,"                                       \
	"  PRIMARY KEY (cohort, stage, won, tenths)) WITHOUT ROWID;"                  \
	/* the same without the cohort, for a forecast of every lead: agg_close \
	 * has a row for nearly every decided lead of a cohort */                 \
	"CREATE TABLE agg_close_all(stage INTEGER, won INTEGER, tenths INTEGER,"     \
	"  n INTEGER NOT NULL, PRIMARY KEY (stage, won, tenths)) WITHOUT ROWID;"      \
	"CREATE TABLE agg_open(cohort INTEGER, stage INTEGER, day INTEGER,"          \
	"  n INTEGER NOT NULL, valued INTEGER NOT NULL, value REAL NOT NULL,"         \
	"  PRIMARY KEY (cohort, stage, day)) WITHOUT ROWID;"                          \
	"CREATE TABLE agg_paths(cohort INTEGER, stages INTEGER, override INTEGER,"   \
	"  n INTEGER NOT NULL, PRIMARY KEY (cohort, stages, override)) WITHOUT ROWID;" \
	"CREATE TABLE agg_signal(signal INTEGER, band INTEGER, stages INTEGER,"      \
	"  cohort INTEGER, n INTEGER NOT NULL, sales INTEGER NOT NULL,"               \
	"  PRIMARY KEY (signal, band, stages, cohort)) WITHOUT ROWID;"               \
	"CREATE TABLE agg_effort(cohort INTEGER, wait_b INTEGER, minutes_b INTEGER,"  \
	"  stages INTEGER, n INTEGER NOT NULL, touches INTEGER NOT NULL,"             \
	"  minutes REAL NOT NULL,"                                                    \
	"  PRIMARY KEY (cohort, wait_b, minutes_b, stages)) WITHOUT ROWID;"          \
	"CREATE TABLE agg_rule(cohort INTEGER, version INTEGER, rule INTEGER,"      \
	"  kind TEXT, reason TEXT, n INTEGER NOT NULL, rated INTEGER NOT NULL,"       \
	"  rating_sum INTEGER NOT NULL,"                                              \
	"  PRIMARY KEY (version, rule, kind, reason, cohort)) WITHOUT ROWID;"         \
	"CREATE TABLE work_facts(lead_id INTEGER PRIMARY KEY, rep_id INTEGER NOT NULL," \
	"  assigned_at INTEGER, lead_min REAL, opp_min REAL, opp_days REAL);"          \
	"CREATE INDEX work_facts_rep ON work_facts(rep_id, assigned_at);"            \
	"CREATE TABLE agg_work(rep_id INTEGER, kind INTEGER, value REAL,"            \
	"  n INTEGER NOT NULL, PRIMARY KEY (rep_id, kind, value)) WITHOUT ROWID;"      \
	"CREATE TABLE held_load(rep_id INTEGER, opportunity INTEGER, logged REAL,"    \
	"  n INTEGER NOT NULL, PRIMARY KEY (rep_id, opportunity, logged)) WITHOUT ROWID;" \
	"CREATE TABLE gate_wake(id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);" \
	"INSERT INTO gate_wake VALUES (1, 0);"                                        \
	"CREATE TABLE agg_bits(i INTEGER PRIMARY KEY);"                               \
	"INSERT INTO agg_bits WITH RECURSIVE b(i) AS (SELECT 0 UNION ALL"            \
	" SELECT i + 1 FROM b WHERE i < 63) SELECT i FROM b;"                         \
	"CREATE TABLE agg_decision(cohort INTEGER, kind TEXT, reason TEXT,"          \
	"  n INTEGER NOT NULL, rated INTEGER NOT NULL, rating_sum INTEGER NOT NULL,"  \
	"  PRIMARY KEY (cohort, kind, reason)) WITHOUT ROWID;"

#endif
