/*
 * api_spend.c - marketing's spend over HTTP. POST /v1/spend takes one row
 * ({"day", "channel", "campaign", "amount"}) or an array of them, as a file
 * of `leadflow import spend` would give them: each (day, channel, campaign)
 * the request names gets the sum of its rows, replacing what was stored,
 * so a request sent again changes nothing. GET /v1/spend?from=&to= gives
 * the sums by channel and campaign of the days in the period. GET
 * /v1/spend/what-if?move=FROM:TO:AMOUNT[,...]&from=&to= is the budget
 * what-if (report.h).
 */
#include "server/api.h"

#include <leadflow/import.h>
#include <leadflow/report.h>
#include <stdlib.h>
#include <string.h>

static void rows_free(void *p)
{
	json_decref(p);
}

static enum lf_result write_spend(struct lf_write_ctx *w, void *arg, struct lf_http_resp *resp,
				  struct lf_error *err)
{
	json_t *rows = arg, *row;
	struct lf_ingest *in;
	struct lf_import_summary before, after;
	enum lf_row_outcome outcome;
	int64_t id;
	enum lf_result r;
	size_t i;

	if ((r = lf_write_ingest(w, &in, err)))
		return r;
	lf_ingest_summary(in, &before);
	json_array_foreach(rows, i, row) {
		if ((r = lf_ingest_json(in, LF_ENTITY_SPEND, row, &outcome, &id, err))) {
			/* one row refused refuses the request: it is one period's figures */
			if (r == LF_ERR_INPUT) {
				char field[LF_ERROR_FIELD_MAX + 32];
				snprintf(field, sizeof(field), "%zu.%s", i, err->field);
				lf_http_error(resp, 400, "invalid", field, "row %zu: %s", i, err->msg);
			}
			return r;
		}
	}
	/* the rows' sums are written now, and counted once a key */
	if ((r = lf_ingest_flush(in, err)))
		return r;
	lf_ingest_summary(in, &after);
	lf_http_json(resp, 200, json_pack("{s:I, s:I, s:I}", "inserted",
					  (json_int_t)(after.inserted - before.inserted), "updated",
					  (json_int_t)(after.updated - before.updated), "unchanged",
					  (json_int_t)(after.unchanged - before.unchanged)));
	return LF_OK;
}

enum lf_http_outcome api_spend_post(struct lf_http_req *req, struct lf_http_resp *resp)
{
	json_t *body = lf_http_body_json(req, resp), *rows;
	size_t i;
	json_t *v;

	if (!body)
		return LF_HTTP_DONE;
	if (json_is_object(body)) {
		rows = json_array();
		json_array_append_new(rows, body);
	} else if (json_is_array(body) && json_array_size(body)) {
		rows = body;
	} else {
		json_decref(body);
		return lf_http_error(resp, 400, "invalid", "body", "the body must be a spend "
				     "row or a non-empty array of them");
	}
	if (json_array_size(rows) > (size_t)req->cfg->batch_max) {
		json_decref(rows);
		return lf_http_error(resp, 413, "too_large", "body", "more than %ld rows in one "
				     "request (batch_max)", req->cfg->batch_max);
	}
	json_array_foreach(rows, i, v) if (!json_is_object(v)) {
		json_decref(rows);
		return lf_http_error(resp, 400, "invalid", "body", "item %zu of the array is not "
				     "a JSON object", i);
	}
	return lf_http_defer(req, write_spend, rows, rows_free);
}

static enum lf_result take_sum(void *ctx, const char *channel, const char *campaign,
			       double amount, int64_t days)
{
	return json_array_append_new(ctx, json_pack("{s:s, s:s, s:f, s:I}", "channel", channel,
						    "campaign", campaign, "amount", amount,
						    "days", (json_int_t)days))
		       ? LF_ERR_NOMEM : LF_OK;
}

enum lf_http_outcome api_spend_whatif(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_budget_move moves[16];
	struct lf_budget_result res;
	lf_time_ms to = lf_time_now(), from = 0;
	struct lf_error err = { 0 };
	struct lf_table t;
	size_t n = 0;

	if (!lf_http_query_time(req, "to", &to, resp))
		return LF_HTTP_DONE;
	from = to - 91 * LF_MS_PER_DAY;
	if (!lf_http_query_time(req, "from", &from, resp))
		return LF_HTTP_DONE;
	if (lf_http_query(req, "move") &&
	    lf_budget_parse_moves(lf_http_query(req, "move"), moves, 16, &n, &err))
		return lf_http_fail(resp, &err, 400);
	if (lf_budget_whatif(req->store, from, to, moves, n, &t, &res, &err)) {
		lf_table_release(&t);
		return lf_http_fail(resp, &err, 400);
	}
	json_t *body = json_pack("{s:f, s:f, s:o, s:{s:f, s:f, s:f}, s:{s:f, s:f, s:f}}",
				 "weeks", res.weeks, "capacity", res.capacity, "rows",
				 lf_table_json(&t), "now", "mql", res.mql[0], "beyond_capacity",
				 res.over[0], "spend_lost", res.spend_lost[0], "scenario", "mql",
				 res.mql[1], "beyond_capacity", res.over[1], "spend_lost",
				 res.spend_lost[1]);
	lf_table_release(&t);
	return lf_http_json(resp, 200, body);
}

enum lf_http_outcome api_spend_get(struct lf_http_req *req, struct lf_http_resp *resp)
{
	lf_time_ms from = 0, to = 0;
	struct lf_error err = { 0 };
	json_t *sums;

	if (!lf_http_query_time(req, "from", &from, resp) ||
	    !lf_http_query_time(req, "to", &to, resp))
		return LF_HTTP_DONE;
	sums = json_array();
	if (lf_store_spend_sum(req->store, from, to, take_sum, sums, &err)) {
		json_decref(sums);
		return lf_http_fail(resp, &err, 500);
	}
	return lf_http_json(resp, 200, json_pack("{s:o}", "spend", sums));
}
