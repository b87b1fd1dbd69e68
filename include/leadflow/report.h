/*
 * report.h - the reports of SPEC 7 that settle arguments between the
 * teams, each a function from a store and a filter to a table (printed by
 * the CLI as a table, CSV or JSON). Reports only read.
 */
#ifndef LEADFLOW_REPORT_H
#define LEADFLOW_REPORT_H

#include <leadflow/table.h>

#include <leadflow/store.h>

/*
 * funnel: per source, the leads that reached each stage of the waterfall
 * (a lead at a later stage counts as having reached the earlier ones), the
 * leads lost, and the conversion from stage to stage; then marketing-sourced
 * and sales-sourced leads side by side. The table's headers are static.
 */
enum lf_result lf_report_funnel(struct lf_store *s, const struct lf_report_filter *f,
				struct lf_table *out, struct lf_error *err);

/*
 * clicks-vs-feeling: fit, engagement and total score (marketing's clicks)
 * and the rep's first rating (sales' feeling), each against the outcome:
 * AUC, and the conversion in the lowest, middle and highest third of the
 * signal, with the number of leads behind each. With the outcome sql,
 * sales-sourced leads are left out: they start at sql.
 */
enum lf_result lf_report_clicks_vs_feeling(struct lf_store *s,
					   const struct lf_report_filter *f,
					   struct lf_table *out, struct lf_error *err);

/* calibration: conversion by decile of the total score. */
enum lf_result lf_report_calibration(struct lf_store *s, const struct lf_report_filter *f,
				     struct lf_table *out, struct lf_error *err);

/*
 * effort: per source, what sales put into the leads handed to it (hours to
 * first touch, touches, minutes) and the won rate among decided leads; then
 * marketing- and sales-sourced leads within bands of first-touch speed and
 * of minutes spent.
 */
enum lf_result lf_report_effort(struct lf_store *s, const struct lf_report_filter *f,
				struct lf_table *out, struct lf_error *err);

/*
 * feedback: reject, disqualify, lost and won reasons by source, campaign
 * and scoring rule (the active model's rules that fire on those leads);
 * mean rating by source; rule disqualifications that reps overrode, with
 * what became of those leads beside the leads the rules let through.
 */
enum lf_result lf_report_feedback(struct lf_store *s, const struct lf_report_filter *f,
				  struct lf_table *out, struct lf_error *err);

/*
 * capacity: per rep and per team, what sales carries, the hours left and
 * needed this week, free slots, and the measured time per lead and per
 * opportunity (leadflow/gate.h); the team filter applies.
 */
enum lf_result lf_report_capacity(struct lf_store *s, const struct lf_report_filter *f,
				  struct lf_table *out, struct lf_error *err);

/*
 * sla: by rep and by priority (normal, hand-raiser), assignments, first
 * touches in time, breaches, reassignments, compliance and the median
 * minutes to the first touch (leadflow/gate.h).
 */
enum lf_result lf_report_sla(struct lf_store *s, const struct lf_report_filter *f,
			     struct lf_table *out, struct lf_error *err);

/*
 * questions: per qualification question of the active model, the leads it
 * was due for and answered (per question and per rep), and the predictive
 * value of its answers against the outcome (cross-fitted AUC with a 95%
 * interval, information value) with a verdict: predictive, retire,
 * unclear, too few answers. LF_ERR_CONFLICT without an active model.
 */
enum lf_result lf_report_questions(struct lf_store *s, const struct lf_report_filter *f,
				   struct lf_table *out, struct lf_error *err);

/*
 * recycle: the moves to recycled in the period (--from/--to on the move's
 * time), by who made them (each recycle rule of the model, or reps) and
 * reason, with how many of those leads came back to lead, reached sql and
 * were won afterwards.
 */
enum lf_result lf_report_recycle(struct lf_store *s, const struct lf_report_filter *f,
				 struct lf_table *out, struct lf_error *err);

/*
 * channels: per channel (the leads' source) and campaign, the leads created
 * in the period (first touch: where a lead came from) counted at each step
 * they reached (lead, mql, sql, opportunity, won), the pipeline their
 * opportunities opened and the revenue won (close_value), the spend of the
 * period's days, the cost per lead, MQL, SQL and won deal, and revenue per
 * unit spent; each channel's total after its campaigns, then marketing-
 * and sales-sourced and all. A team filter leaves spend out (it has none).
 */
enum lf_result lf_report_channels(struct lf_store *s, const struct lf_report_filter *f,
				  struct lf_table *out, struct lf_error *err);

/*
 * kpis: marketing's KPIs per week, channel and campaign (each channel's
 * week after its campaigns): the week's new leads and the share that
 * reached mql, sql and won; the week's emails sent (email_send events) and
 * the shares bounced (email_bounce), unsubscribed, opened, clicked; page
 * views, visits (page views under 30 minutes apart) and the share of
 * visits of one page (page bounce rate). The period bounds events by when
 * they occurred and leads by when they were created.
 */
enum lf_result lf_report_kpis(struct lf_store *s, const struct lf_report_filter *f,
			      struct lf_table *out, struct lf_error *err);

/*
 * The budget what-if (report/budget.c): spend a week moved between
 * channels, and what each channel would bring a week at its rates measured
 * over [from, to) (leads per unit spent, then MQLs, SQLs, wins and revenue
 * per lead), now and in the scenario; then all channels, the MQLs a week
 * the SDRs can take (lf_capacity_per_week), and what goes beyond it: the
 * MQLs bought and not worked, the share of the spend that bought them, the
 * wins and revenue they would have brought. A move is FROM:TO:AMOUNT;
 * lf_budget_parse_moves reads them, comma-separated (LF_ERR_INPUT naming
 * "move"). A move from a channel that spent less, or to one that spent
 * nothing (its cost per lead unknown), is refused.
 */
struct lf_budget_move {
	char from[64], to[64];
	double per_week;
};
enum lf_result lf_budget_parse_moves(const char *text, struct lf_budget_move *out,
				     size_t max, size_t *n, struct lf_error *err);
struct lf_budget_result {
	double weeks, capacity;          /* the period measured; MQLs a week the SDRs take */
	double mql[2], over[2], spend_lost[2], won[2];   /* [0] now, [1] the scenario */
};
enum lf_result lf_budget_whatif(struct lf_store *s, lf_time_ms from, lf_time_ms to,
				const struct lf_budget_move *moves, size_t nmoves,
				struct lf_table *out, struct lf_budget_result *res,
				struct lf_error *err);

/*
 * handoffs: the two handoffs of the period (--from/--to on the handoff's
 * time; lf_store_handoff_outcomes), marketing -> SDR and SDR -> AE: for
 * each, all of them, then by reason of rejection (most first), then by SDR.
 */
enum lf_result lf_report_handoffs(struct lf_store *s, const struct lf_report_filter *f,
				  struct lf_table *out, struct lf_error *err);

/* gate: each change of the threshold, newest first (floor, free slots, waiting, released). */
enum lf_result lf_report_gate(struct lf_store *s, const struct lf_report_filter *f,
			      struct lf_table *out, struct lf_error *err);

/* forecast: the weekly table of the forecast below, 4 weeks ahead. */
enum lf_result lf_report_forecast(struct lf_store *s, const struct lf_report_filter *f,
				  struct lf_table *out, struct lf_error *err);

/*
 * The forecast (SPEC 7), over the leads the filter selects (created in
 * [from, to), of a source or campaign, owned by a team's reps): the back-test (Holt-Winters beside the seasonal
 * naive forecast on the last weeks of history, MAE and MASE), the weeks
 * ahead (qualified leads with a 95% interval, capacity, backlog, the
 * threshold implied) and the open pipeline by expected close month (the
 * numeric attribute value_field, default close_value, as a lead's value).
 */
struct lf_forecast {
	struct lf_table backtest, weeks, pipeline;
	size_t days;                /* days of history */
};
enum lf_result lf_report_forecast_all(struct lf_store *s, const struct lf_report_filter *f,
				      int weeks, const char *value_field, struct lf_forecast *out,
				      struct lf_error *err);
void lf_forecast_release(struct lf_forecast *fc);

struct lf_report {
	const char *name;
	const char *summary;
	enum lf_result (*run)(struct lf_store *, const struct lf_report_filter *,
			      struct lf_table *, struct lf_error *);
	const char *takes;     /* the filters it honours, comma-separated (API names) */
};
extern const struct lf_report lf_reports[];
extern const size_t lf_report_count;
/* The report called name; NULL, with every name in err, when none is. */
const struct lf_report *lf_report_find(const char *name, struct lf_error *err);
/*
 * LF_ERR_INPUT naming param when rep does not take it: a filter a report
 * would ignore is refused rather than silently dropped. param is the API's
 * name ("value_field").
 */
enum lf_result lf_report_takes(const struct lf_report *rep, const char *param,
			       struct lf_error *err);
/* Parses outcome "sql" or "won" (NULL: sql) into f. */
/* Reads attribution ("first", the default, or "last") into f; LF_ERR_INPUT else. */
enum lf_result lf_report_attribution(const char *attribution, struct lf_report_filter *f,
				     struct lf_error *err);
enum lf_result lf_report_outcome(const char *outcome, struct lf_report_filter *f,
				 struct lf_error *err);

#endif
