/*
 * api_reports.c - /v1/reports/{name}: any report of the report table, with
 * the filters it takes; the forecast's three parts.
 */
#include "server/api.h"

#include <leadflow/json.h>
#include "core/value_json.h"
#include <leadflow/report.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The forecast: its three parts, `weeks` ahead (4), `value_field` for the pipeline. */
static enum lf_http_outcome forecast(struct lf_http_req *req, struct lf_http_resp *resp,
				     const struct lf_report_filter *f)
{
	struct lf_forecast fc;
	struct lf_error err;
	long long weeks = 4;
	if (!lf_http_query_int(req, "weeks", 1, 52, &weeks, resp))
		return LF_HTTP_DONE;
	if (lf_report_forecast_all(req->store, f, (int)weeks, lf_http_query(req, "value_field"),
				   &fc, &err))
		return lf_http_fail(resp, &err, 400);
	lf_http_json(resp, 200, json_pack("{s:s, s:I, s:o, s:o, s:o, s:o}", "report", "forecast",
					  "days", (json_int_t)fc.days, "backtest",
					  lf_table_json(&fc.backtest), "weeks", lf_table_json(&fc.weeks),
					  "rows", lf_table_json(&fc.weeks), "pipeline",
					  lf_table_json(&fc.pipeline)));
	lf_forecast_release(&fc);
	return LF_HTTP_DONE;
}

/* The reports there are: name, summary and the filters each takes. */
enum lf_http_outcome api_report_list(struct lf_http_req *req, struct lf_http_resp *resp)
{
	json_t *list = json_array();
	(void)req;
	for (size_t i = 0; i < lf_report_count; i++) {
		const struct lf_report *r = &lf_reports[i];
		json_t *takes = json_array();
		char buf[256];
		snprintf(buf, sizeof(buf), "%s", r->takes ? r->takes : "");
		for (char *save, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
			json_array_append_new(takes, json_string(p));
		json_array_append_new(list, json_pack("{s:s, s:s, s:o}", "name", r->name, "summary",
						      r->summary, "takes", takes));
	}
	return lf_http_json(resp, 200, json_pack("{s:o}", "reports", list));
}

static const char *const report_params[] = { "from", "to", "source", "campaign", "team",
					     "outcome", "weeks", "value_field", "attribution",
					     NULL };

enum lf_http_outcome api_report(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_report_filter f = { 0 };
	struct lf_error err;
	struct lf_table t;
	const struct lf_report *rep = lf_report_find(req->param[0], &err);

	if (!rep)
		return lf_http_error(resp, 404, "not_found", "name", "%s", err.msg);
	for (const char *const *p = report_params; *p; p++)
		if (lf_http_query(req, *p) && lf_report_takes(rep, *p, &err))
			return lf_http_fail(resp, &err, 400);
	if (!lf_http_query_time(req, "from", &f.from, resp) ||
	    !lf_http_query_time(req, "to", &f.to, resp))
		return LF_HTTP_DONE;
	f.source = lf_http_query(req, "source");
	f.campaign = lf_http_query(req, "campaign");
	f.team = lf_http_query(req, "team");
	if (lf_report_outcome(lf_http_query(req, "outcome"), &f, &err) ||
	    lf_report_attribution(lf_http_query(req, "attribution"), &f, &err))
		return lf_http_fail(resp, &err, 400);
	if (!strcmp(rep->name, "forecast"))
		return forecast(req, resp, &f);
	if (rep->run(req->store, &f, &t, &err))
		lf_http_fail(resp, &err, 400);
	else
		lf_http_json(resp, 200, json_pack("{s:s, s:o}", "report", rep->name, "rows",
						  lf_table_json(&t)));
	lf_table_release(&t);
	return LF_HTTP_DONE;
}

