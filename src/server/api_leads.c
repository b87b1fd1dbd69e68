/*
 * api_leads.c - /v1/leads: upsert, list, get, patch, erase, explain,
 * timeline, lifecycle actions and touches.
 */
#include "server/api.h"

#include <leadflow/json.h>
#include "core/value_json.h"
#include "lifecycle/lifecycle.h"
#include "score/scoring.h"
#include <leadflow/model.h>

#include <leadflow/import.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fields a lead's body may not set: they move only through the lifecycle. */
static const char *const lifecycle_fields[] = { "stage", "rating", "disq_reason", "owner",
						 "stage_at", "opened_at", NULL };

static bool refuse_lifecycle_fields(json_t *body, struct lf_http_resp *resp)
{
	for (size_t i = 0; lifecycle_fields[i]; i++)
		if (json_object_get(body, lifecycle_fields[i])) {
			lf_http_error(resp, 400, "invalid", lifecycle_fields[i],
				      "'%s' changes only through POST /v1/leads/{id}/transitions",
				      lifecycle_fields[i]);
			return true;
		}
	return false;
}

struct lead_write {
	json_t *body;
	int64_t id;              /* patch: the lead */
	int64_t rep;             /* upsert: the rep adding a sales-sourced lead, 0 none */
};

static void lead_write_free(void *p)
{
	struct lead_write *w = p;
	json_decref(w->body);
	free(w);
}

static struct lead_write *new_write(json_t *body, int64_t id)
{
	struct lead_write *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->body = body;
	w->id = id;
	return w;
}

static enum lf_http_outcome answer_lead(struct lf_store *s, int64_t id, int status,
					struct lf_http_resp *resp, struct lf_error *err)
{
	struct lf_lead l;
	if (lf_store_lead_get(s, id, &l, err))
		return lf_http_fail(resp, err, 400);
	lf_http_json(resp, status, lf_lead_json(&l));
	snprintf(resp->location, sizeof(resp->location), "/v1/leads/%lld", (long long)id);
	lf_lead_release(&l);
	return LF_HTTP_DONE;
}

static enum lf_result existing_of_other_rep(struct lf_store *s, const struct lead_write *lw,
					    struct lf_error *err);

static enum lf_result write_upsert(struct lf_write_ctx *w, void *arg,
				   struct lf_http_resp *resp, struct lf_error *err)
{
	struct lead_write *lw = arg;
	struct lf_ingest *in;
	enum lf_row_outcome outcome;
	int64_t id;
	enum lf_result r;

	if ((r = lf_write_ingest(w, &in, err)))
		return r;
	if (lw->rep && (r = existing_of_other_rep(lf_write_store(w), lw, err)))
		return r;
	lf_ingest_set_rep(in, lw->rep);
	r = lf_ingest_json(in, LF_ENTITY_LEADS, lw->body, &outcome, &id, err);
	lf_ingest_set_rep(in, 0);
	if (r || (r = lf_ingest_flush(in, err)))
		return r;
	answer_lead(lf_write_store(w), id, outcome == LF_ROW_INSERTED ? 201 : 200, resp, err);
	return LF_OK;
}

/*
 * A rep adding a lead it found may not overwrite a lead somebody else owns:
 * LF_ERR_CONFLICT when the key names one.
 */
static enum lf_result existing_of_other_rep(struct lf_store *s, const struct lead_write *lw,
					    struct lf_error *err)
{
	static const struct { const char *field; enum lf_lead_key key; } keys[] = {
		{ "external_id", LF_KEY_EXTERNAL_ID }, { "email", LF_KEY_EMAIL },
	};
	for (size_t i = 0; i < 2; i++) {
		json_t *v = json_object_get(lw->body, keys[i].field);
		struct lf_lead l;
		char email[512];
		if (!json_is_string(v))
			continue;
		snprintf(email, sizeof(email), "%s", json_string_value(v));
		if (keys[i].key == LF_KEY_EMAIL)
			lf_email_normalise(email);
		enum lf_result r = lf_store_lead_find(s, keys[i].key, email, &l, err);
		if (r == LF_ERR_NOT_FOUND)
			continue;
		if (r)
			return r;
		bool other = l.owner_rep_id != lw->rep;
		lf_lead_release(&l);
		if (other)
			return lf_error_field(err, LF_ERR_CONFLICT, keys[i].field, "a lead with "
					      "this %s exists and belongs to another rep",
					      keys[i].field);
	}
	return LF_OK;
}

/*
 * Who adds a lead sales found itself (source 'sales', SPEC 4): a rep adds its
 * own (and only such leads); a sales manager, an admin or marketing names the
 * rep in rep_id. rep_id is taken out of the body; false when refused.
 */
static bool sales_rep(const struct lf_http_req *req, json_t *body, int64_t *rep,
		      struct lf_http_resp *resp)
{
	json_t *src = json_object_get(body, "source"), *v = json_object_get(body, "rep_id");
	bool sales = json_is_string(src) && lf_source_is_sales(json_string_value(src));
	bool sales_role = req->who.role == LF_ROLE_REP || req->who.role == LF_ROLE_SALES_MANAGER;

	*rep = 0;
	if (sales_role && !sales) {
		lf_http_error(resp, 403, "forbidden", "source", "a %s adds only the leads sales "
			      "found itself (source '%s')", lf_role_name(req->who.role),
			      LF_SOURCE_SALES);
		return false;
	}
	if (v && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0 || !sales) {
			lf_http_error(resp, 400, "invalid", "rep_id", "'rep_id' is the rep who adds "
				      "a lead sales found itself (source '%s'), a whole number",
				      LF_SOURCE_SALES);
			return false;
		}
		*rep = json_integer_value(v);
	}
	if (req->who.role == LF_ROLE_REP) {
		if (*rep && *rep != req->who.rep_id) {
			lf_http_error(resp, 403, "forbidden", "rep_id", "a rep adds its own leads, "
				      "not another rep's");
			return false;
		}
		*rep = req->who.rep_id;
	}
	json_object_del(body, "rep_id");
	return true;
}

enum lf_http_outcome api_lead_upsert(struct lf_http_req *req, struct lf_http_resp *resp)
{
	json_t *body = lf_http_body_json(req, resp);
	struct lead_write *w;
	int64_t rep = 0;
	if (!body)
		return LF_HTTP_DONE;
	if (!json_is_object(body)) {
		json_decref(body);
		return lf_http_error(resp, 400, "invalid", NULL, "the body must be a JSON object");
	}
	if (!json_object_get(body, "external_id") && !json_object_get(body, "email")) {
		json_decref(body);
		return lf_http_error(resp, 400, "invalid", "external_id",
				     "a lead needs an 'external_id' or an 'email'");
	}
	if (refuse_lifecycle_fields(body, resp) || !sales_rep(req, body, &rep, resp)) {
		json_decref(body);
		return LF_HTTP_DONE;
	}
	if (!(w = new_write(body, 0))) {
		json_decref(body);
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	}
	w->rep = rep;
	return lf_http_defer(req, write_upsert, w, lead_write_free);
}

/* --- list ---------------------------------------------------------------- */

struct list_ctx {
	json_t *items;
	enum lf_lead_sort sort;
	struct lf_store *store;
	const struct lf_model_def *model;  /* with reasons: the active model */
	long long reasons;       /* how many top reasons each lead carries (0: none) */
	lf_time_ms now;
	struct lf_error err;     /* why a lead's reasons could not be read */
	char last[64];           /* the cursor after the latest lead listed */
	char prev[64];           /* the one before it (the page's last, when one more came) */
};

static const char *const sorts[] = {
	[LF_SORT_ID] = "id", [LF_SORT_SCORE] = "score", [LF_SORT_CREATED] = "created",
	[LF_SORT_SLA_DUE] = "sla_due",
};

/* The cursor after l: its id in id order, else "key:id" (the key in the order). */
static void cursor_of(const struct list_ctx *c, const struct lf_lead *l, lf_time_ms due,
		      char *out, size_t cap)
{
	switch (c->sort) {
	case LF_SORT_SCORE: snprintf(out, cap, "%.17g:%lld", l->total, (long long)l->id); break;
	case LF_SORT_CREATED: snprintf(out, cap, "%lld:%lld", (long long)l->created_at,
				       (long long)l->id); break;
	case LF_SORT_SLA_DUE: snprintf(out, cap, "%lld:%lld", (long long)due,
				       (long long)l->id); break;
	default: snprintf(out, cap, "%lld", (long long)l->id);
	}
}

static int by_points_desc(const void *a, const void *b)
{
	double x = ((const struct lf_explain_item *)a)->points;
	double y = ((const struct lf_explain_item *)b)->points;
	return (x < y) - (x > y);
}

/*
 * The rules that give the lead most of its points now, highest first: what a
 * rep reads in the queue before opening the lead (rules giving nothing, or
 * taking points away, are not reasons to call).
 */
static enum lf_result top_reasons(struct list_ctx *c, const struct lf_lead *l, json_t *o)
{
	struct lf_explain x;
	json_t *top = json_array();

	if (lf_score_lead(c->store, c->model, l, c->now, &x, &c->err))
		return json_decref(top), c->err.code;
	qsort(x.items, x.nitems, sizeof(x.items[0]), by_points_desc);
	for (size_t i = 0; i < x.nitems && (long long)i < c->reasons && x.items[i].points > 0; i++)
		json_array_append_new(top, json_pack("{s:s, s:s, s:f, s:s?}", "rule",
						     x.items[i].rule, "kind",
						     x.items[i].engagement ? "engagement" : "fit",
						     "points", x.items[i].points, "why",
						     x.items[i].why));
	lf_explain_release(&x);
	json_object_set_new(o, "top_reasons", top);
	return LF_OK;
}

static enum lf_result add_lead(void *ctx, const struct lf_lead *l)
{
	struct list_ctx *c = ctx;
	json_t *o = lf_lead_json(l);
	enum lf_result r;
	if (o && c->sort == LF_SORT_SLA_DUE)
		json_object_set_new(o, "sla_due_at", lf_time_json(l->sla_due_at));
	if (o && c->model && (r = top_reasons(c, l, o)))
		return json_decref(o), r;
	memcpy(c->prev, c->last, sizeof(c->prev));
	cursor_of(c, l, l->sla_due_at, c->last, sizeof(c->last));
	return json_array_append_new(c->items, o) ? LF_ERR_NOMEM : LF_OK;
}

/* Reads the cursor of the order asked for ("key:id", or an id in id order). */
static bool read_cursor(struct lf_http_req *req, struct lf_lead_filter *f,
			struct lf_http_resp *resp)
{
	const char *v = lf_http_query(req, "cursor");
	char *end;
	if (!v)
		return true;
	errno = 0;
	if (f->sort != LF_SORT_ID) {
		f->after_key = strtod(v, &end);
		if (end != v && *end == ':')
			v = end + 1;
		else
			v = "";
	}
	f->after_id = *v >= '0' && *v <= '9' ? strtoll(v, &end, 10) : 0;
	if (!*v || errno || *end || f->after_id <= 0)
		return lf_http_error(resp, 400, "invalid", "cursor", "'cursor' is the next_cursor "
				     "of the previous page (of the same sort)"), false;
	return true;
}

/*
 * The filters that find the leads behind a number of the feedback report:
 * a reason (with the stage it led to), the period of creation and the team,
 * as the report takes them.
 */
static bool read_behind(struct lf_http_req *req, struct lf_lead_filter *f,
			struct lf_http_resp *resp)
{
	const char *to_stage = lf_http_query(req, "reason_stage");
	enum lf_stage st;
	struct lf_error err;

	if (!lf_http_query_time(req, "from", &f->created_from, resp) ||
	    !lf_http_query_time(req, "to", &f->created_to, resp))
		return false;
	f->reason = lf_http_query(req, "reason");
	if (to_stage) {
		if (!f->reason)
			return lf_http_error(resp, 400, "invalid", "reason_stage", "'reason_stage' "
					     "goes with 'reason'"), false;
		if (lf_stage_parse(to_stage, &st, &err))
			return lf_http_error(resp, 400, "invalid", "reason_stage", "%s",
					     err.msg), false;
		f->reason_stage = (int)st;
	}
	f->team = lf_http_query(req, "team");
	return true;
}

enum lf_http_outcome api_lead_list(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_lead_filter f = LF_LEAD_FILTER_ALL;
	struct list_ctx c = { .items = json_array() };
	struct lf_model_def model;
	struct lf_error err;
	const char *stage = lf_http_query(req, "stage"), *sort = lf_http_query(req, "sort");
	const char *email = lf_http_query(req, "email");
	char email_norm[512];
	long long limit = 100, owner = 0;
	enum lf_stage st;

	if (sort) {
		size_t i = 0;
		while (i < sizeof(sorts) / sizeof(sorts[0]) && strcmp(sorts[i], sort))
			i++;
		if (i == sizeof(sorts) / sizeof(sorts[0])) {
			lf_http_error(resp, 400, "invalid", "sort", "'sort' is id, score, created or "
				      "sla_due, got '%s'", sort);
			goto done;
		}
		f.sort = c.sort = (enum lf_lead_sort)i;
	}
	if (!lf_http_query_int(req, "limit", 1, 1000, &limit, resp) ||
	    !lf_http_query_int(req, "reasons", 0, 10, &c.reasons, resp) ||
	    !lf_http_query_int(req, "owner", 1, INT64_MAX, &owner, resp) ||
	    !read_cursor(req, &f, resp) ||
	    !lf_http_query_real(req, "min_score", -INFINITY, INFINITY, &f.min_total, &f.has_min, resp) ||
	    !lf_http_query_real(req, "max_score", -INFINITY, INFINITY, &f.max_total, &f.has_max,
				resp))
		goto done;
	if (email) {
		snprintf(email_norm, sizeof(email_norm), "%s", email);
		if (!lf_email_normalise(email_norm)) {
			lf_http_error(resp, 400, "invalid", "email", "bad email '%s'", email);
			goto done;
		}
		f.email = email_norm;
	}
	if (stage) {
		if (lf_stage_parse(stage, &st, &err)) {
			lf_http_error(resp, 400, "invalid", "stage", "%s", err.msg);
			goto done;
		}
		f.stage = (int)st;
	}
	if (!read_behind(req, &f, resp))
		goto done;
	f.source = lf_http_query(req, "source");
	f.campaign = lf_http_query(req, "campaign");
	f.external_id = lf_http_query(req, "external_id");
	f.owner_rep_id = owner;
	f.limit = limit + 1; /* one more tells whether there is a next page */
	if (req->who.role == LF_ROLE_REP) {
		if (owner && owner != req->who.rep_id) {
			lf_http_error(resp, 403, "forbidden", "owner", "a rep lists its own leads");
			goto done;
		}
		f.owner_rep_id = req->who.rep_id;
	}
	c.store = req->store;
	c.now = lf_time_now();
	if (c.reasons) {
		int version;
		if (!lf_model_active(req->store, &model, &version, &err))
			c.model = &model;
		else if (err.code != LF_ERR_NOT_FOUND) {
			lf_http_fail(resp, &err, 400);
			goto done;
		}
	}
	if (lf_store_lead_list(req->store, &f, add_lead, &c, &err)) {
		lf_http_fail(resp, c.err.code ? &c.err : &err, 400);
		goto done;
	}
	json_t *next = json_null();
	if ((long long)json_array_size(c.items) > limit) {
		json_array_remove(c.items, (size_t)limit);
		next = json_string(c.prev);
	}
	lf_http_json(resp, 200, json_pack("{s:o, s:o}", "leads", c.items, "next_cursor", next));
	c.items = NULL;   /* the answer's now */
done:
	if (c.model)
		lf_model_def_release(&model);
	json_decref(c.items);
	return LF_HTTP_DONE;
}

/* --- one lead ------------------------------------------------------------ */

enum lf_http_outcome api_lead_get(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_lead l;
	struct lf_error err;
	int64_t id;
	if (!lf_http_param_id(req, 0, "id", &id, resp))
		return LF_HTTP_DONE;
	if (lf_visible_lead(&req->who, req->store, id, &l, &err))
		return lf_http_fail(resp, &err, 400);
	lf_http_json(resp, 200, lf_lead_json(&l));
	lf_lead_release(&l);
	return LF_HTTP_DONE;
}

/* The questions an action asks (enum lf_ask_at), -1 none. */
static int ask_of(const char *action)
{
	for (int k = 0; k < LF_ASK_KINDS; k++)
		if (!strcmp(action, lf_ask_at_name((enum lf_ask_at)k)))
			return k;
	return -1;
}

/*
 * The actions the caller's role may take on the lead from its stage now
 * (the stage table), each with what it needs: the active model's reasons
 * of its kind, or an amount and a close date, and the model's questions
 * asked with it (accept, qualify). What the app offers on a lead page, and
 * nothing the API would refuse.
 */
enum lf_http_outcome api_lead_actions(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_lead l;
	struct lf_model_def def;
	bool has_model;
	int version;
	int64_t id;
	json_t *list;
	if (!api_lead_and_model(req, resp, &id, &l, &def, &version, &has_model))
		return LF_HTTP_DONE;
	list = json_array();
	for (size_t i = 0; i < lf_stage_rule_count; i++) {
		const struct lf_stage_rule *sr = &lf_stage_rules[i];
		json_t *a, *reasons, *whys;
		if (!(sr->from & LF_STAGE_BIT(l.stage)) || !(sr->roles & LF_ROLE_BIT(req->who.role)))
			continue;
		reasons = json_array();
		whys = json_object();   /* what each code tells the other team, where the model says */
		if (sr->reason >= 0 && has_model)
			for (size_t k = 0; k < def.nreasons[sr->reason]; k++) {
				const char *code = def.reasons[sr->reason][k];
				const char *why = def.reason_notes[sr->reason][k].why;
				json_array_append_new(reasons, json_string(code));
				if (why)
					json_object_set_new(whys, code, json_string(why));
			}
		a = json_pack("{s:s, s:s, s:o, s:o, s:b, s:o}", "action", sr->action, "to",
			      lf_stage_name(sr->to), "reasons", reasons, "reason_whys", whys,
			      "opportunity", sr->opportunity, "questions",
			      ask_of(sr->action) < 0 ? json_array()
			      : api_questions_for(has_model ? &def : NULL, &l, ask_of(sr->action)));
		if (sr->reason >= 0)
			json_object_set_new(a, "reason_kind",
					    json_string(lf_reason_kind_name(sr->reason)));
		json_array_append_new(list, a);
	}
	lf_http_json(resp, 200, json_pack("{s:I, s:s, s:o, s:o}", "lead_id", (json_int_t)id,
					  "stage", lf_stage_name(l.stage), "model_version",
					  has_model ? json_integer(version) : json_null(),
					  "actions", list));
	if (has_model)
		lf_model_def_release(&def);
	lf_lead_release(&l);
	return LF_HTTP_DONE;
}

static enum lf_result write_patch(struct lf_write_ctx *w, void *arg,
				  struct lf_http_resp *resp, struct lf_error *err)
{
	struct lead_write *lw = arg;
	struct lf_ingest *in;
	struct lf_lead l;
	enum lf_row_outcome outcome;
	enum lf_result r;

	if ((r = lf_visible_lead(lf_write_who(w), lf_write_store(w), lw->id, &l, err)))
		return r;
	lf_lead_release(&l);
	if ((r = lf_write_ingest(w, &in, err)) ||
	    (r = lf_ingest_patch_lead(in, lw->id, lw->body, &outcome, err)) ||
	    (r = lf_ingest_flush(in, err)))
		return r;
	answer_lead(lf_write_store(w), lw->id, 200, resp, err);
	return LF_OK;
}

enum lf_http_outcome api_lead_patch(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lead_write *w;
	json_t *body;
	int64_t id;
	if (!lf_http_param_id(req, 0, "id", &id, resp) || !(body = lf_http_body_json(req, resp)))
		return LF_HTTP_DONE;
	if (!json_is_object(body) || refuse_lifecycle_fields(body, resp)) {
		if (!json_is_object(body))
			lf_http_error(resp, 400, "invalid", NULL, "the body must be a JSON object");
		json_decref(body);
		return LF_HTTP_DONE;
	}
	if (!(w = new_write(body, id))) {
		json_decref(body);
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	}
	return lf_http_defer(req, write_patch, w, lead_write_free);
}

static enum lf_result write_erase(struct lf_write_ctx *w, void *arg,
				  struct lf_http_resp *resp, struct lf_error *err)
{
	struct lead_write *lw = arg;
	int64_t events = 0, touches = 0;
	enum lf_result r = lf_store_lead_erase(lf_write_store(w), lw->id, lf_write_who(w)->name, &events,
					       &touches, err);
	if (r == LF_ERR_NOT_FOUND)
		lf_error_field(err, r, "id", "no lead with id %lld", (long long)lw->id);
	if (!r)
		lf_http_json(resp, 200, json_pack("{s:I, s:b, s:I, s:I}", "id", (json_int_t)lw->id,
						  "erased", 1, "events_deleted",
						  (json_int_t)events, "touches_deleted",
						  (json_int_t)touches));
	return r;
}

enum lf_http_outcome api_lead_erase(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lead_write *w;
	int64_t id;
	if (!lf_http_param_id(req, 0, "id", &id, resp))
		return LF_HTTP_DONE;
	if (!(w = new_write(NULL, id)))
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	return lf_http_defer(req, write_erase, w, lead_write_free);
}

/* --- explain and timeline ------------------------------------------------ */

enum lf_http_outcome api_lead_explain(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_model_def def;
	struct lf_explain x;
	struct lf_lead l;
	struct lf_error err;
	lf_time_ms at = lf_time_now();
	const char *at_s = lf_http_query(req, "at");
	long long asked = 0;
	int version;
	int64_t id;
	enum lf_result r;

	if (!lf_http_param_id(req, 0, "id", &id, resp) ||
	    !lf_http_query_int(req, "version", 1, INT32_MAX, &asked, resp))
		return LF_HTTP_DONE;
	if (at_s && lf_time_parse(at_s, &at, NULL))
		return lf_http_error(resp, 400, "invalid", "at",
				     "'at' must be an ISO 8601 time, got '%s'", at_s);
	if (lf_visible_lead(&req->who, req->store, id, &l, &err))
		return lf_http_fail(resp, &err, 400);
	/* the active model, or any version asked for ("try a lead" under a draft) */
	version = (int)asked;
	r = asked ? lf_model_version(req->store, version, &def, &err)
		  : lf_model_active(req->store, &def, &version, &err);
	if (r) {
		lf_lead_release(&l);
		if (err.code == LF_ERR_NOT_FOUND && asked)
			return lf_http_error(resp, 404, "not_found", "version", "no model version %lld",
					     asked);
		if (err.code == LF_ERR_NOT_FOUND)
			return lf_http_error(resp, 409, "no_active_model", NULL,
					     "no model is active: add one and activate it");
		return lf_http_fail(resp, &err, 400);
	}
	if (lf_score_lead(req->store, &def, &l, at, &x, &err))
		lf_http_fail(resp, &err, 400);
	else {
		lf_http_json(resp, 200, lf_explain_json(&l, version, at, &x));
		lf_explain_release(&x);
	}
	lf_model_def_release(&def);
	lf_lead_release(&l);
	return LF_HTTP_DONE;
}

static enum lf_result add_event(void *ctx, const struct lf_event *e)
{
	json_error_t jerr;
	json_t *props = json_loads(e->properties ? e->properties : "{}", 0, &jerr);
	json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "id", e->id, "type", e->type,
			      "occurred_at", lf_time_json(e->occurred_at), "properties",
			      props ? props : json_object());
	return json_array_append_new(ctx, o) ? LF_ERR_NOMEM : LF_OK;
}

static enum lf_result add_touch(void *ctx, const struct lf_touch *t)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:f, s:o}", "id", (json_int_t)t->id, "key",
			      t->key ? t->key : "", "kind", t->kind ? t->kind : "", "minutes",
			      t->minutes, "at", lf_time_json(t->at));
	if (o && t->rep_id)
		json_object_set_new(o, "rep_id", json_integer(t->rep_id));
	if (o && t->outcome)
		json_object_set_new(o, "outcome", json_string(t->outcome));
	return json_array_append_new(ctx, o) ? LF_ERR_NOMEM : LF_OK;
}

static enum lf_result add_transition(void *ctx, const struct lf_transition *t)
{
	return json_array_append_new(ctx, lf_transition_json(t)) ? LF_ERR_NOMEM : LF_OK;
}

enum lf_http_outcome api_lead_timeline(struct lf_http_req *req, struct lf_http_resp *resp)
{
	json_t *events = json_array(), *touches = json_array(), *moves = json_array();
	struct lf_lead l;
	struct lf_error err;
	int64_t id;

	if (!lf_http_param_id(req, 0, "id", &id, resp))
		goto fail;
	if (lf_visible_lead(&req->who, req->store, id, &l, &err)) {
		lf_http_fail(resp, &err, 400);
		goto fail;
	}
	lf_lead_release(&l);
	if (lf_store_event_list(req->store, id, add_event, events, &err) ||
	    lf_store_touch_list(req->store, id, add_touch, touches, &err) ||
	    lf_store_transition_list(req->store, id, add_transition, moves, &err)) {
		lf_http_fail(resp, &err, 400);
		goto fail;
	}
	return lf_http_json(resp, 200, json_pack("{s:I, s:o, s:o, s:o}", "lead_id",
						 (json_int_t)id, "events", events, "touches",
						 touches, "transitions", moves));
fail:
	json_decref(events);
	json_decref(touches);
	json_decref(moves);
	return LF_HTTP_DONE;
}

/* --- lifecycle actions ------------------------------------------------- */

struct move {
	int64_t id;
	json_t *answers;         /* recorded before the move, or NULL */
	char action[32], reason[64], note[1024];
	struct lf_sla_terms sla;
	struct lf_action a;
};

static enum lf_result write_transition(struct lf_write_ctx *w, void *arg,
				       struct lf_http_resp *resp, struct lf_error *err)
{
	struct move *m = arg;
	const struct lf_principal *who = lf_write_who(w);
	struct lf_store *s = lf_write_store(w);
	struct lf_lead l;
	enum lf_stage to;
	enum lf_result r;

	if ((r = lf_visible_lead(who, s, m->id, &l, err)))
		return r;
	m->a.actor = who->name;
	m->a.role = who->role;
	if (m->answers) {
		json_t *recorded = json_array();
		r = api_answers_write(w, &l, m->answers, recorded, err);
		json_decref(recorded);
		if (r) {
			lf_lead_release(&l);
			return r == LF_ERR_INPUT ? (lf_http_fail(resp, err, 422), r) : r;
		}
	}
	r = lf_lifecycle_apply(s, m->id, &m->a, &to, err);
	if (r == LF_ERR_CONFLICT) {
		char allowed[256];
		lf_lifecycle_allowed(l.stage, who->role, allowed, sizeof(allowed));
		json_t *list = json_array();
		for (char *p = strtok(allowed, ", "); p; p = strtok(NULL, ", "))
			json_array_append_new(list, json_string(p));
		lf_http_error_with(resp, 409, "refused", "action",
				   json_pack("{s:s, s:o}", "stage", lf_stage_name(l.stage),
					     "allowed", list), "%s", err->msg);
	} else if (r == LF_ERR_INPUT) {
		lf_http_fail(resp, err, 422);
	} else if (r == LF_ERR_NOT_FOUND && m->a.rep_id) {
		lf_http_error(resp, 422, "unprocessable", "rep_id", "no rep with id %lld",
			      (long long)m->a.rep_id);
	}
	lf_lead_release(&l);
	if (r)
		return r;
	return answer_lead(s, m->id, 200, resp, err), LF_OK;
}

static bool body_string(json_t *body, const char *key, char *out, size_t cap, bool required,
			struct lf_http_resp *resp)
{
	json_t *v = json_object_get(body, key);
	out[0] = 0;
	if (!v || json_is_null(v)) {
		if (required)
			lf_http_error(resp, 400, "invalid", key, "'%s' is required", key);
		return !required;
	}
	if (!json_is_string(v) || json_string_length(v) >= cap) {
		lf_http_error(resp, 400, "invalid", key, "'%s' must be a string of at most %zu"
			      " characters", key, cap - 1);
		return false;
	}
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return true;
}

static const char *const move_fields[] = { "action", "reason", "rating", "note", "amount",
					   "close_date", "at", "rep_id", "answers", NULL };

static void move_free(void *p)
{
	struct move *m = p;
	json_decref(m->answers);
	free(m);
}

static bool body_time(json_t *body, const char *key, lf_time_ms *out, bool *has,
		      struct lf_http_resp *resp)
{
	json_t *v = json_object_get(body, key);
	*has = false;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v) || lf_time_parse(json_string_value(v), out, NULL)) {
		lf_http_error(resp, 400, "invalid", key, "'%s' must be an ISO 8601 date or time",
			      key);
		return false;
	}
	*has = true;
	return true;
}

enum lf_http_outcome api_lead_transition(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct move *m = calloc(1, sizeof(*m));
	json_t *body = NULL, *v;
	bool has_at = false;

	if (!m)
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	if (!lf_http_param_id(req, 0, "id", &m->id, resp) ||
	    !(body = lf_http_body_json(req, resp)))
		goto fail;
	if (!json_is_object(body)) {
		lf_http_error(resp, 400, "invalid", NULL, "the body must be a JSON object");
		goto fail;
	}
	if (!lf_http_known_fields(body, move_fields, resp) ||
	    !body_string(body, "action", m->action, sizeof(m->action), true, resp) ||
	    !body_string(body, "reason", m->reason, sizeof(m->reason), false, resp) ||
	    !body_string(body, "note", m->note, sizeof(m->note), false, resp) ||
	    !body_time(body, "close_date", &m->a.close_date, &m->a.has_close_date, resp) ||
	    !body_time(body, "at", &m->a.at, &has_at, resp) ||
	    !api_answers_take(body, &m->answers, resp))
		goto fail;
	if (!lf_stage_rule_find(m->action)) {
		lf_http_error(resp, 400, "invalid", "action", "unknown action '%s'", m->action);
		goto fail;
	}
	if ((v = json_object_get(body, "rating")) && !json_is_null(v)) {
		if (!json_is_integer(v)) {
			lf_http_error(resp, 400, "invalid", "rating",
				      "'rating' must be a whole number from 1 to 5");
			goto fail;
		}
		m->a.rating = (int)json_integer_value(v);
	}
	if ((v = json_object_get(body, "rep_id")) && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0 || strcmp(m->action, "assign")) {
			lf_http_error(resp, 400, "invalid", "rep_id",
				      "'rep_id' is the rep an 'assign' gives the lead to");
			goto fail;
		}
		m->a.rep_id = json_integer_value(v);
	}
	if ((v = json_object_get(body, "amount")) && !json_is_null(v)) {
		if (!json_is_number(v)) {
			lf_http_error(resp, 400, "invalid", "amount", "'amount' must be a number");
			goto fail;
		}
		m->a.amount = json_number_value(v);
		m->a.has_amount = true;
	}
	json_decref(body);
	m->a.action = m->action;
	m->a.reason = m->reason[0] ? m->reason : NULL;
	m->a.note = m->note[0] ? m->note : NULL;
	lf_sla_from_config(req->cfg, &m->sla);
	m->a.sla = &m->sla;
	return lf_http_defer(req, write_transition, m, move_free);
fail:
	json_decref(body);
	move_free(m);
	return LF_HTTP_DONE;
}

/* --- touches ----------------------------------------------------------- */

static enum lf_result find_rep_name(void *ctx, const struct lf_rep *r)
{
	struct lead_write *lw = ctx;
	if (r->id == lw->id)
		json_object_set_new(lw->body, "rep", json_string(r->name));
	return LF_OK;
}

static enum lf_result write_touch(struct lf_write_ctx *w, void *arg,
				  struct lf_http_resp *resp, struct lf_error *err)
{
	struct lead_write *lw = arg;
	const struct lf_principal *who = lf_write_who(w);
	struct lf_ingest *in;
	struct lf_lead l;
	enum lf_row_outcome outcome;
	int64_t touch_id, lead_id = json_integer_value(json_object_get(lw->body, "lead_id"));
	enum lf_result r;

	if ((r = lf_visible_lead(who, lf_write_store(w), lead_id, &l, err)))
		return r;
	lf_lead_release(&l);
	if (who->role == LF_ROLE_REP) {
		/* a rep logs their own touches */
		struct lead_write find = { .body = lw->body, .id = who->rep_id };
		if ((r = lf_store_rep_list(lf_write_store(w), find_rep_name, &find, err)))
			return r;
	}
	if ((r = lf_write_ingest(w, &in, err)) ||
	    (r = lf_ingest_json(in, LF_ENTITY_TOUCHES, lw->body, &outcome, &touch_id, err)) ||
	    (r = lf_ingest_flush(in, err)))
		return r;
	lf_http_json(resp, outcome == LF_ROW_INSERTED ? 201 : 200,
		     json_pack("{s:I, s:I, s:s}", "id", (json_int_t)touch_id, "lead_id",
			       (json_int_t)lead_id, "status",
			       outcome == LF_ROW_INSERTED ? "inserted" : "unchanged"));
	return LF_OK;
}

enum lf_http_outcome api_lead_touch(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lead_write *w;
	json_t *body;
	int64_t id;
	if (!lf_http_param_id(req, 0, "id", &id, resp) || !(body = lf_http_body_json(req, resp)))
		return LF_HTTP_DONE;
	if (!json_is_object(body)) {
		json_decref(body);
		return lf_http_error(resp, 400, "invalid", NULL, "the body must be a JSON object");
	}
	for (const char *const *k = (const char *const[]){ "lead_id", "email", "external_id",
							    NULL }; *k; k++)
		if (json_object_get(body, *k)) {
			json_decref(body);
			return lf_http_error(resp, 400, "invalid", *k,
					     "the lead is the one of the path; '%s' is not taken",
					     *k);
		}
	if (req->who.role == LF_ROLE_REP && json_object_get(body, "rep")) {
		json_decref(body);
		return lf_http_error(resp, 400, "invalid", "rep",
				     "a rep token logs its own touches; 'rep' is not taken");
	}
	json_object_set_new(body, "lead_id", json_integer(id));
	if (!json_object_get(body, "at")) {
		/* a touch without its time happened when it was received */
		char now[LF_TIME_STR_MAX];
		lf_time_format(lf_time_now(), now);
		json_object_set_new(body, "at", json_string(now));
	}
	if (!(w = new_write(body, id))) {
		json_decref(body);
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	}
	return lf_http_defer(req, write_touch, w, lead_write_free);
}
