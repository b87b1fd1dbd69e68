/*
 * reports.c - the table of reports the CLI (and later the API) offers.
 */
#include "report/report.h"

const struct lf_report lf_reports[] = {
	{ "funnel", "leads reaching each stage and the conversion between them, by "
	  "source; marketing- and sales-sourced side by side", lf_report_funnel },
	{ "clicks-vs-feeling", "fit, engagement, total and the rep's rating against the "
	  "outcome: AUC and conversion by thirds", lf_report_clicks_vs_feeling },
	{ "calibration", "conversion by decile of the total score", lf_report_calibration },
	{ "feedback", "reasons by source, campaign and scoring rule; ratings by source; "
	  "overridden disqualifications", lf_report_feedback },
	{ "effort", "time to first touch, touches and minutes per lead, and conversion "
	  "within bands of effort, by source", lf_report_effort },
};
const size_t lf_report_count = sizeof(lf_reports) / sizeof(lf_reports[0]);
