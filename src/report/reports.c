/*
 * reports.c - the table of reports the CLI (and later the API) offers.
 */
#include <leadflow/report.h>

#include "core/names.h"

#include <string.h>

const struct lf_report lf_reports[] = {
	{ "funnel", "leads reaching each stage and the conversion between them, by "
	  "source; marketing- and sales-sourced side by side", lf_report_funnel,
	  "from,to,source,campaign,team" },
	{ "clicks-vs-feeling", "fit, engagement, total and the rep's rating against the "
	  "outcome: AUC and conversion by thirds", lf_report_clicks_vs_feeling,
	  "from,to,source,campaign,team,outcome" },
	{ "calibration", "conversion by decile of the total score", lf_report_calibration,
	  "from,to,source,campaign,team,outcome" },
	{ "feedback", "reasons by source, campaign and scoring rule; ratings by source; "
	  "overridden disqualifications", lf_report_feedback, "from,to,source,campaign,team" },
	{ "effort", "time to first touch, touches and minutes per lead, and conversion "
	  "within bands of effort, by source", lf_report_effort, "from,to,source,campaign,team" },
	{ "capacity", "per rep and team: leads and opportunities carried, hours left and "
	  "needed this week, free slots, measured time per lead and per opportunity",
	  lf_report_capacity, "team" },
	{ "forecast", "qualified leads per week ahead (Holt-Winters) against capacity: backlog "
	  "and the threshold implied", lf_report_forecast,
	  "from,to,source,campaign,team,weeks,value_field" },
	{ "sla", "speed to lead by rep and priority: first touches in time, breaches, "
	  "reassignments, compliance", lf_report_sla, "" },
	{ "questions", "per qualification question: completion per rep, and whether its "
	  "answers predict the outcome (AUC with an interval, information value), with "
	  "questions to retire flagged", lf_report_questions, "from,to,outcome" },
	{ "recycle", "leads sent back to marketing, by recycle rule or reps and reason: how "
	  "many came back, reached sql, were won afterwards", lf_report_recycle, "from,to" },
	{ "handoffs", "marketing -> SDR and SDR -> AE side by side: leads handed, accepted, "
	  "rejected or sent back, pending, acceptance, hours to decide, rating, won after; by "
	  "reason and by SDR", lf_report_handoffs, "from,to" },
	{ "channels", "per channel and campaign: leads, MQLs, SQLs, opportunities, won, "
	  "pipeline and revenue beside spend; cost per lead, MQL, SQL and won; revenue per "
	  "unit spent; marketing- and sales-sourced; by first or last touch", lf_report_channels,
	  "from,to,source,campaign,team,attribution" },
	{ "kpis", "per week, channel and campaign: new leads and their MQL, SQL and won rates; "
	  "emails sent, bounce, unsubscribe, open and click rates; page views, visits and "
	  "page bounce rate", lf_report_kpis, "from,to,source,campaign,team" },
	{ "gate", "each change of the gate's threshold: floor, free slots, waiting, released",
	  lf_report_gate, "from,to" },
};
const size_t lf_report_count = sizeof(lf_reports) / sizeof(lf_reports[0]);

const struct lf_report *lf_report_find(const char *name, struct lf_error *err)
{
	char names[256] = "";
	for (size_t i = 0; i < lf_report_count; i++) {
		if (!strcmp(lf_reports[i].name, name))
			return &lf_reports[i];
		strcat(names, i ? ", " : "");
		strcat(names, lf_reports[i].name);
	}
	lf_error_set(err, LF_ERR_NOT_FOUND, "unknown report '%s': expected %s", name, names);
	return NULL;
}

enum lf_result lf_report_takes(const struct lf_report *rep, const char *param,
			       struct lf_error *err)
{
	if (lf_names_has(rep->takes, param, false))
		return LF_OK;
	if (!rep->takes[0])
		return lf_error_field(err, LF_ERR_INPUT, param, "report '%s' takes no filter, "
				      "not '%s'", rep->name, param);
	return lf_error_field(err, LF_ERR_INPUT, param, "report '%s' does not take '%s' "
			      "(it takes %s)", rep->name, param, rep->takes);
}

enum lf_result lf_report_attribution(const char *attribution, struct lf_report_filter *f,
				     struct lf_error *err)
{
	f->last_touch = attribution && !strcmp(attribution, "last");
	if (!attribution || f->last_touch || !strcmp(attribution, "first"))
		return LF_OK;
	return lf_error_field(err, LF_ERR_INPUT, "attribution", "attribution: expected first or "
			      "last, got '%s'", attribution);
}

enum lf_result lf_report_outcome(const char *outcome, struct lf_report_filter *f,
				 struct lf_error *err)
{
	f->outcome_won = false;
	if (!outcome || !strcmp(outcome, "sql"))
		return LF_OK;
	if (!strcmp(outcome, "won")) {
		f->outcome_won = true;
		return LF_OK;
	}
	return lf_error_field(err, LF_ERR_INPUT, "outcome", "outcome: expected sql or won, got '%s'",
			      outcome);
}
