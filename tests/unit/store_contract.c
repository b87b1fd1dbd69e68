/*
 * store_contract.c - the contract suite for lf_store backends: every
 * operation, its success, its NOT_FOUND and CONFLICT answers, idempotency of
 * events and touches, the append-only transitions, and transactions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_contract.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void test_schema_is_latest(void **state)
{
	int v = -1;
	struct lf_error err;
	assert_int_equal(lf_store_schema_version(*state, &v, &err), LF_OK);
	assert_int_equal(v, lf_store_schema_latest(*state));
	/* migrating again changes nothing */
	assert_int_equal(lf_store_migrate(*state, &err), LF_OK);
	assert_int_equal(lf_store_schema_version(*state, &v, &err), LF_OK);
	assert_int_equal(v, lf_store_schema_latest(*state));
}

static void test_lead_roundtrip(void **state)
{
	struct lf_store *s = *state;
	struct lf_lead in, out;
	struct lf_error err;

	contract_make_lead(&in, "X-1", "ada@example.com");
	in.stage = LF_STAGE_MQL;
	in.fit = 12.5;
	in.model_version = 0;
	assert_int_equal(lf_store_lead_insert(s, &in, &err), LF_OK);
	assert_int_equal(lf_store_lead_get(s, in.id, &out, &err), LF_OK);
	assert_true(lf_lead_same_content(&in, &out));
	assert_int_equal(out.created_at, in.created_at);
	assert_string_equal(out.email, "ada@example.com");
	assert_int_equal(out.stage, LF_STAGE_MQL);
	assert_true(out.employees == 250);
	const struct lf_value *v = lf_attrs_get(&out.attrs, "visits");
	assert_non_null(v);
	assert_int_equal(v->type, LF_VAL_NUMBER);
	assert_true(v->num == 42);
	v = lf_attrs_get(&out.attrs, "do_not_call");
	assert_int_equal(v->type, LF_VAL_BOOL);
	assert_true(v->b);
	assert_string_equal(lf_attrs_get(&out.attrs, "quality")->str, "High");
	lf_lead_release(&out);

	/* a lead without email, external id or employees */
	struct lf_lead bare;
	lf_lead_init(&bare);
	bare.created_at = bare.updated_at = 1;
	assert_int_equal(lf_store_lead_insert(s, &bare, &err), LF_OK);
	assert_int_equal(lf_store_lead_get(s, bare.id, &out, &err), LF_OK);
	assert_null(out.email);
	assert_true(isnan(out.employees));
	assert_int_equal(out.attrs.n, 0);
	lf_lead_release(&out);
	lf_lead_release(&bare);
	lf_lead_release(&in);
}

static void test_lead_find_and_update(void **state)
{
	struct lf_store *s = *state;
	struct lf_lead l;
	struct lf_error err;
	int64_t id = contract_lead(s, "X-2", "bob@example.com");

	assert_int_equal(lf_store_lead_find(s, LF_KEY_EXTERNAL_ID, "X-2", &l, &err), LF_OK);
	assert_int_equal(l.id, id);
	lf_lead_release(&l);
	assert_int_equal(lf_store_lead_find(s, LF_KEY_EMAIL, "bob@example.com", &l, &err),
			 LF_OK);
	assert_int_equal(l.id, id);
	assert_int_equal(lf_set_str(&l.title, "VP Sales"), LF_OK);
	l.stage = LF_STAGE_WON;
	assert_int_equal(lf_store_lead_update(s, &l, &err), LF_OK);
	lf_lead_release(&l);
	assert_int_equal(lf_store_lead_get(s, id, &l, &err), LF_OK);
	assert_string_equal(l.title, "VP Sales");
	assert_int_equal(l.stage, LF_STAGE_WON);
	l.id = 999999;
	assert_int_equal(lf_store_lead_update(s, &l, &err), LF_ERR_NOT_FOUND);
	lf_lead_release(&l);

	assert_int_equal(lf_store_lead_find(s, LF_KEY_EMAIL, "nobody@example.com", &l, &err),
			 LF_ERR_NOT_FOUND);
	assert_string_equal(err.msg, "no lead with email 'nobody@example.com'");
	assert_int_equal(lf_store_lead_get(s, 424242, &l, &err), LF_ERR_NOT_FOUND);
	assert_string_equal(err.msg, "no lead 424242");
}

static void test_lead_unique_keys(void **state)
{
	struct lf_store *s = *state;
	struct lf_lead l;
	struct lf_error err;

	contract_lead(s, "X-3", "carol@example.com");
	contract_make_lead(&l, "X-4", "carol@example.com");
	assert_int_equal(lf_store_lead_insert(s, &l, &err), LF_ERR_CONFLICT);
	assert_string_equal(err.field, "email");
	lf_lead_release(&l);
	contract_make_lead(&l, "X-3", "other@example.com");
	assert_int_equal(lf_store_lead_insert(s, &l, &err), LF_ERR_CONFLICT);
	assert_string_equal(err.field, "external_id");
	lf_lead_release(&l);
	/* absent keys never clash */
	contract_lead(s, NULL, NULL);
	contract_lead(s, NULL, NULL);
}

struct collect {
	int64_t ids[16];
	int n;
};

static enum lf_result collect_lead(void *ctx, const struct lf_lead *l)
{
	struct collect *c = ctx;
	if (c->n < 16)
		c->ids[c->n] = l->id;
	c->n++;
	return LF_OK;
}

struct counts {
	int64_t total, won_webinar;
};

static enum lf_result count_fn(void *ctx, enum lf_stage st, const char *src, int64_t n)
{
	struct counts *c = ctx;
	c->total += n;
	if (st == LF_STAGE_WON && src && !strcmp(src, "webinar"))
		c->won_webinar += n;
	return LF_OK;
}

static void test_lead_list_and_counts(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_lead l;
	int64_t a = contract_lead(s, "L-1", "l1@example.com");
	int64_t b = contract_lead(s, "L-2", "l2@example.com");
	int64_t c = contract_lead(s, "L-3", "l3@example.com");

	assert_int_equal(lf_store_lead_get(s, b, &l, &err), LF_OK);
	l.stage = LF_STAGE_WON;
	assert_int_equal(lf_store_lead_update(s, &l, &err), LF_OK);
	lf_lead_release(&l);

	struct collect all = { 0 };
	struct lf_lead_filter f = LF_LEAD_FILTER_ALL;
	assert_int_equal(lf_store_lead_list(s, &f, collect_lead, &all, &err), LF_OK);
	assert_int_equal(all.n, 3);
	assert_true(all.ids[0] == a && all.ids[1] == b && all.ids[2] == c);

	struct collect won = { 0 };
	f.stage = LF_STAGE_WON;
	assert_int_equal(lf_store_lead_list(s, &f, collect_lead, &won, &err), LF_OK);
	assert_int_equal(won.n, 1);
	assert_true(won.ids[0] == b);

	struct collect page = { 0 };
	struct lf_lead_filter p = { .stage = -1, .reason_stage = -1, .source = "webinar", .after_id = a, .limit = 1 };
	assert_int_equal(lf_store_lead_list(s, &p, collect_lead, &page, &err), LF_OK);
	assert_int_equal(page.n, 1);
	assert_true(page.ids[0] == b);

	struct collect none = { 0 };
	struct lf_lead_filter other = { .stage = -1, .reason_stage = -1, .source = "trade_show" };
	assert_int_equal(lf_store_lead_list(s, &other, collect_lead, &none, &err), LF_OK);
	assert_int_equal(none.n, 0);

	/* by email, by external id, by a range of scores, sorted with a cursor */
	struct lf_lead_score sa = { .id = a, .total = 40 }, sb = { .id = b, .total = 70 },
			     sc = { .id = c, .total = 70 };
	assert_int_equal(lf_store_lead_set_score(s, &sa, NULL, 0, &err), LF_OK);
	assert_int_equal(lf_store_lead_set_score(s, &sb, NULL, 0, &err), LF_OK);
	assert_int_equal(lf_store_lead_set_score(s, &sc, NULL, 0, &err), LF_OK);
	struct collect one = { 0 };
	struct lf_lead_filter by = { .stage = -1, .reason_stage = -1, .email = "l2@example.com" };
	assert_int_equal(lf_store_lead_list(s, &by, collect_lead, &one, &err), LF_OK);
	assert_true(one.n == 1 && one.ids[0] == b);
	struct collect ext = { 0 };
	by = (struct lf_lead_filter){ .stage = -1, .reason_stage = -1, .external_id = "L-3" };
	assert_int_equal(lf_store_lead_list(s, &by, collect_lead, &ext, &err), LF_OK);
	assert_true(ext.n == 1 && ext.ids[0] == c);
	struct collect range = { 0 };
	by = (struct lf_lead_filter){ .stage = -1, .reason_stage = -1, .has_min = true, .min_total = 50,
				      .has_max = true, .max_total = 70 };
	assert_int_equal(lf_store_lead_list(s, &by, collect_lead, &range, &err), LF_OK);
	assert_true(range.n == 2 && range.ids[0] == b && range.ids[1] == c);
	struct collect top = { 0 }, rest = { 0 };
	by = (struct lf_lead_filter){ .stage = -1, .reason_stage = -1, .sort = LF_SORT_SCORE, .limit = 2 };
	assert_int_equal(lf_store_lead_list(s, &by, collect_lead, &top, &err), LF_OK);
	assert_true(top.n == 2 && top.ids[0] == b && top.ids[1] == c);
	by.after_id = c;
	by.after_key = 70;
	assert_int_equal(lf_store_lead_list(s, &by, collect_lead, &rest, &err), LF_OK);
	assert_true(rest.n == 1 && rest.ids[0] == a);

	struct counts cnt = { 0, 0 };
	assert_int_equal(lf_store_lead_counts(s, count_fn, &cnt, &err), LF_OK);
	assert_int_equal(cnt.total, 3);
	assert_int_equal(cnt.won_webinar, 1);
}

static void test_lead_set_score(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_lead l;
	int64_t id = contract_lead(s, "S-1", "s1@example.com");
	struct lf_lead_score sc = { id, 12.5, 30.25, 42.75, 3, 1234, 5 };

	assert_int_equal(lf_store_lead_set_score(s, &sc, NULL, 0, &err), LF_OK);
	assert_int_equal(lf_store_lead_get(s, id, &l, &err), LF_OK);
	assert_true(l.fit == 12.5 && l.engagement == 30.25 && l.total == 42.75);
	assert_int_equal(l.model_version, 3);
	assert_int_equal(l.hand_raiser_at, 1234);
	assert_string_equal(l.name, "Ada Lovelace"); /* the rest untouched */
	lf_lead_release(&l);
	sc.id = 99999;
	assert_int_equal(lf_store_lead_set_score(s, &sc, NULL, 0, &err), LF_ERR_NOT_FOUND);
}

static void test_score_state(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_lead l;
	int64_t id = contract_lead(s, "SS-1", "ss1@example.com");
	const unsigned char a[5] = { 1, 0, 2, 0, 3 };
	struct lf_lead_score sc = { id, 1, 2, 3, 4, 0, 0 };
	void *got;
	size_t len;

	assert_int_equal(lf_store_lead_get_scoring(s, id, &l, &got, &len, &err), LF_OK);
	assert_null(got);
	assert_string_equal(l.external_id, "SS-1");
	lf_lead_release(&l);
	assert_int_equal(lf_store_lead_set_score(s, &sc, a, sizeof(a), &err), LF_OK);
	assert_int_equal(lf_store_lead_get_scoring(s, id, &l, &got, &len, &err), LF_OK);
	assert_int_equal(l.model_version, 4);
	assert_int_equal(len, 5);
	assert_memory_equal(got, a, 5); /* bytes, NULs included */
	free(got);
	lf_lead_release(&l);
	/* a plain read of the lead does not carry the state */
	assert_int_equal(lf_store_lead_get(s, id, &l, &err), LF_OK);
	lf_lead_release(&l);
	assert_int_equal(lf_store_lead_set_score(s, &sc, NULL, 0, &err), LF_OK);
	assert_int_equal(lf_store_lead_get_scoring(s, id, &l, &got, &len, &err), LF_OK);
	assert_null(got);
	lf_lead_release(&l);
	assert_int_equal(lf_store_lead_get_scoring(s, 987654, &l, &got, &len, &err),
			 LF_ERR_NOT_FOUND);
}

struct rewrite {
	struct lf_store *s;
	int seen;
};

static enum lf_result rewrite_lead(void *ctx, const struct lf_lead *l)
{
	struct rewrite *rw = ctx;
	struct lf_lead copy;
	struct lf_error err;
	enum lf_result r;
	rw->seen++;
	if ((r = lf_lead_copy(&copy, l)))
		return r;
	copy.stage = LF_STAGE_DISQUALIFIED;
	r = lf_store_lead_update(rw->s, &copy, &err);
	lf_lead_release(&copy);
	return r;
}

static void test_update_while_listing(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_lead_filter f = LF_LEAD_FILTER_ALL;
	struct rewrite rw = { s, 0 };
	for (int i = 0; i < 50; i++) {
		char ext[16];
		snprintf(ext, sizeof(ext), "W-%d", i);
		contract_lead(s, ext, NULL);
	}
	assert_int_equal(lf_store_lead_list(s, &f, rewrite_lead, &rw, &err), LF_OK);
	assert_int_equal(rw.seen, 50);
	f.stage = LF_STAGE_DISQUALIFIED;
	rw.seen = 0;
	assert_int_equal(lf_store_lead_list(s, &f, rewrite_lead, &rw, &err), LF_OK);
	assert_int_equal(rw.seen, 50);
}

static void test_events_idempotent(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t lead = contract_lead(s, "E-1", "e1@example.com");
	struct lf_event e = { .id = "ev-1", .lead_id = lead, .type = "page_view",
			      .occurred_at = 2000, .properties = "{\"url\":\"/pricing\"}" };
	struct lf_event e2 = { .id = "ev-0", .lead_id = lead, .type = "email_open",
			       .occurred_at = 1000, .properties = NULL };
	bool ins;

	assert_int_equal(lf_store_event_insert(s, &e, &ins, &err), LF_OK);
	assert_true(ins);
	assert_int_equal(lf_store_event_insert(s, &e, &ins, &err), LF_OK);
	assert_false(ins);
	assert_int_equal(lf_store_event_insert(s, &e2, &ins, &err), LF_OK);
	assert_true(ins);

	struct lf_event got = { 0 };
	assert_int_equal(lf_store_event_get(s, "ev-1", &got, &err), LF_OK);
	assert_string_equal(got.type, "page_view");
	assert_string_equal(got.properties, "{\"url\":\"/pricing\"}");
	assert_int_equal(got.occurred_at, 2000);
	lf_event_release(&got);
	assert_int_equal(lf_store_event_get(s, "ev-9", &got, &err), LF_ERR_NOT_FOUND);

	/* an event for a lead that does not exist is refused */
	struct lf_event orphan = { .id = "ev-2", .lead_id = 987654, .type = "x",
				   .occurred_at = 1 };
	assert_int_equal(lf_store_event_insert(s, &orphan, &ins, &err), LF_ERR_NOT_FOUND);
}

struct answers_seen { int n; char last[64]; int64_t first_id; };

static enum lf_result take_answer(void *ctx, const struct lf_answer *a)
{
	struct answers_seen *u = ctx;
	if (u->n++ == 0) {
		snprintf(u->last, sizeof(u->last), "%s=%s by %s at %lld v%d", a->question, a->value,
			 a->actor, (long long)a->at, a->model_version);
		u->first_id = a->id;
	}
	return LF_OK;
}

static void test_answers(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t lead = contract_lead(s, "A-1", "a1@example.com");
	int64_t events = 0, touches = 0;
	struct lf_answer a = { .lead_id = lead, .question = "budget", .value = "\"no\"",
			       .actor = "rita", .at = 1000, .model_version = 2 };
	struct lf_answer b = { .lead_id = lead, .question = "budget", .value = "\"yes\"",
			       .actor = "rita" };
	struct lf_answer orphan = { .lead_id = 987654, .question = "budget", .value = "1",
				    .actor = "x", .at = 1 };
	struct answers_seen u = { 0 };

	assert_int_equal(lf_store_answer_add(s, &a, &err), LF_OK);
	assert_true(a.id > 0);
	assert_int_equal(lf_store_answer_add(s, &b, &err), LF_OK);
	assert_true(b.id > a.id && b.at > 0);   /* dated now when not given */
	assert_int_equal(lf_store_answer_list(s, lead, take_answer, &u, &err), LF_OK);
	assert_int_equal(u.n, 2);
	assert_int_equal(u.first_id, b.id);     /* newest first */
	assert_int_equal(lf_store_answer_add(s, &orphan, &err), LF_ERR_NOT_FOUND);
	/* erasing the person deletes what they answered */
	assert_int_equal(lf_store_lead_erase(s, lead, "admin", &events, &touches, &err), LF_OK);
	u = (struct answers_seen){ 0 };
	assert_int_equal(lf_store_answer_list(s, lead, take_answer, &u, &err), LF_OK);
	assert_int_equal(u.n, 0);
	/* the first one, as stored */
	assert_int_equal(lf_store_answer_add(s, &(struct lf_answer){ .lead_id = lead,
		.question = "seats", .value = "80", .actor = "ana", .at = 5 }, &err), LF_OK);
	assert_int_equal(lf_store_answer_list(s, lead, take_answer, &u, &err), LF_OK);
	assert_string_equal(u.last, "seats=80 by ana at 5 v0");
}

struct held_seen { int n; char seen[256]; };

static enum lf_result take_cdp_held(void *ctx, lf_time_ms at, const char *message)
{
	struct held_seen *h = ctx;
	size_t n = strlen(h->seen);
	snprintf(h->seen + n, sizeof(h->seen) - n, "%s%lld:%s", h->n++ ? " " : "",
		 (long long)at, message);
	return LF_OK;
}

static enum lf_result refuse_held(void *ctx, lf_time_ms at, const char *message)
{
	(void)ctx;
	(void)at;
	(void)message;
	return LF_ERR_INPUT;
}

/* CDP identities: links (the latest wins), held calls kept once, taken oldest first. */
static void test_cdp_identities(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t a = contract_lead(s, "C-1", "c1@example.com");
	int64_t b = contract_lead(s, "C-2", "c2@example.com");
	int64_t found = -1, events = 0, touches = 0;
	struct held_seen h = { 0 };
	bool kept = false;

	assert_int_equal(lf_store_cdp_identity(s, "anon-1", &found, &err), LF_OK);
	assert_int_equal(found, 0);
	assert_int_equal(lf_store_cdp_link(s, "anon-1", a, 10, &err), LF_OK);
	assert_int_equal(lf_store_cdp_link(s, "anon-1", a, 20, &err), LF_OK);
	assert_int_equal(lf_store_cdp_identity(s, "anon-1", &found, &err), LF_OK);
	assert_int_equal(found, a);
	assert_int_equal(lf_store_cdp_link(s, "anon-1", b, 30, &err), LF_OK);
	assert_int_equal(lf_store_cdp_identity(s, "anon-1", &found, &err), LF_OK);
	assert_int_equal(found, b);
	assert_int_equal(lf_store_cdp_link(s, "anon-x", 987654, 30, &err), LF_ERR_NOT_FOUND);

	assert_int_equal(lf_store_cdp_hold(s, "m-2", "anon-2", 200, "{\"n\":2}", &kept, &err),
			 LF_OK);
	assert_true(kept);
	assert_int_equal(lf_store_cdp_hold(s, "m-1", "anon-2", 100, "{\"n\":1}", &kept, &err),
			 LF_OK);
	assert_int_equal(lf_store_cdp_hold(s, "m-1", "anon-2", 150, "{\"n\":9}", &kept, &err),
			 LF_OK);
	assert_false(kept);                      /* a retry: held once */
	assert_int_equal(lf_store_cdp_hold(s, "m-3", "anon-3", 50, "{}", &kept, &err), LF_OK);
	/* a failing taker undoes the take with the caller's transaction */
	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	assert_int_equal(lf_store_cdp_take(s, "anon-2", refuse_held, NULL, &err), LF_ERR_INPUT);
	lf_store_rollback(s);
	assert_int_equal(lf_store_cdp_take(s, "anon-2", take_cdp_held, &h, &err), LF_OK);
	assert_string_equal(h.seen, "100:{\"n\":1} 200:{\"n\":2}");
	h = (struct held_seen){ 0 };
	assert_int_equal(lf_store_cdp_take(s, "anon-2", take_cdp_held, &h, &err), LF_OK);
	assert_int_equal(h.n, 0);                /* taken once */
	assert_int_equal(lf_store_cdp_take(s, "anon-3", take_cdp_held, &h, &err), LF_OK);
	assert_int_equal(h.n, 1);

	/* erasing the person erases the ids linked to it */
	assert_int_equal(lf_store_lead_erase(s, b, "admin", &events, &touches, &err), LF_OK);
	assert_int_equal(lf_store_cdp_identity(s, "anon-1", &found, &err), LF_OK);
	assert_int_equal(found, 0);
}

struct spend_seen { int n; char seen[256]; };

static enum lf_result take_spend(void *ctx, const char *channel, const char *campaign,
				 double amount, int64_t days)
{
	struct spend_seen *p = ctx;
	size_t n = strlen(p->seen);
	snprintf(p->seen + n, sizeof(p->seen) - n, "%s%s/%s=%.2f(%lld)", p->n++ ? " " : "",
		 channel, campaign, amount, (long long)days);
	return LF_OK;
}

/* Spend: a day's amount replaced or added to, unchanged when the same, summed by period. */
static void test_spend(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	const lf_time_ms d1 = 1793491200000, d2 = d1 + 86400000;   /* 2026-11-01, -02 */
	struct lf_spend a = { d1, "paid_search", "brand", 100.5 }, b = { d2, "paid_search", "brand", 40 };
	struct lf_spend c = { d1, "paid_social", "", 12 }, bad = { d1, "x", "", -1 };
	struct spend_seen seen = { 0 };
	bool ins, changed;

	assert_int_equal(lf_store_spend_put(s, &a, false, &ins, &changed, &err), LF_OK);
	assert_true(ins && changed);
	assert_int_equal(lf_store_spend_put(s, &a, false, &ins, &changed, &err), LF_OK);
	assert_false(ins || changed);                 /* the same amount: unchanged */
	assert_int_equal(lf_store_spend_put(s, &a, true, &ins, &changed, &err), LF_OK);
	assert_true(!ins && changed);                 /* added: 201 */
	assert_int_equal(lf_store_spend_put(s, &b, false, &ins, &changed, &err), LF_OK);
	assert_int_equal(lf_store_spend_put(s, &c, false, &ins, &changed, &err), LF_OK);
	assert_int_not_equal(lf_store_spend_put(s, &bad, false, &ins, &changed, &err), LF_OK);
	assert_int_equal(lf_store_spend_sum(s, 0, 0, take_spend, &seen, &err), LF_OK);
	assert_string_equal(seen.seen, "paid_search/brand=241.00(2) paid_social/=12.00(1)");
	seen = (struct spend_seen){ 0 };
	assert_int_equal(lf_store_spend_sum(s, d2, 0, take_spend, &seen, &err), LF_OK);
	assert_string_equal(seen.seen, "paid_search/brand=40.00(1)");
}

struct values_seen { int n; double pipeline, revenue; int64_t pn, rn; char key[64]; };

static enum lf_result take_values(void *ctx, const struct lf_value_count *v)
{
	struct values_seen *p = ctx;
	p->n++;
	p->pipeline += v->pipeline;
	p->revenue += v->revenue;
	p->pn += v->pipeline_n;
	p->rn += v->revenue_n;
	snprintf(p->key, sizeof(p->key), "%s/%s", v->source, v->campaign ? v->campaign : "-");
	return LF_OK;
}

/* The pipeline and revenue: the valued leads that reached an opportunity, and won. */
static void test_report_values(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_value v = { .type = LF_VAL_NUMBER, .num = 5000 };
	const lf_time_ms t0 = 1700000000000, H = 3600000;
	int64_t ids[3];
	struct values_seen seen = { 0 };
	struct lf_report_filter all = { 0 }, later = { .from = t0 + 24 * H };

	for (int i = 0; i < 3; i++) {
		struct lf_lead l;
		char ext[8];
		snprintf(ext, sizeof(ext), "V-%d", i);
		contract_make_lead(&l, ext, NULL);
		v.num = 1000.0 * (i + 1);
		assert_int_equal(lf_attrs_set(&l.attrs, LF_VALUE_FIELD, &v), LF_OK);
		assert_int_equal(lf_store_lead_insert(s, &l, &err), LF_OK);
		ids[i] = l.id;
		lf_lead_release(&l);
	}
	/* V-0: won; V-1: an open opportunity; V-2: never one */
	for (int i = 0; i < 2; i++) {
		struct lf_transition t = { .lead_id = ids[i], .from = LF_STAGE_SQL,
					   .to = LF_STAGE_OPPORTUNITY, .actor = "ana", .at = t0 + H };
		assert_int_equal(lf_store_transition_append(s, &t, &err), LF_OK);
	}
	struct lf_transition won = { .lead_id = ids[0], .from = LF_STAGE_OPPORTUNITY,
				     .to = LF_STAGE_WON, .actor = "ana", .at = t0 + 2 * H };
	assert_int_equal(lf_store_transition_append(s, &won, &err), LF_OK);
	assert_int_equal(lf_store_report_values(s, &all, take_values, &seen, &err), LF_OK);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.key, "webinar/-");
	assert_true(seen.pipeline == 3000 && seen.pn == 2 && seen.revenue == 1000 && seen.rn == 1);
	seen = (struct values_seen){ 0 };
	assert_int_equal(lf_store_report_values(s, &later, take_values, &seen, &err), LF_OK);
	assert_int_equal(seen.n, 0);                   /* created before the period */
}

struct touches_seen { int n; char seen[256]; };

static int by_text(const void *a, const void *b);

static enum lf_result take_touch_count(void *ctx, const struct lf_touch_count *c)
{
	struct touches_seen *p = ctx;
	size_t n = strlen(p->seen);
	snprintf(p->seen + n, sizeof(p->seen) - n, "%s%s/%s:%lld", p->n++ ? " " : "", c->source,
		 c->campaign, (long long)c->n);
	return LF_OK;
}

/* Last touch: the latest utm-tagged event before the lead qualified, else its own source. */
static void test_report_last_touch(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	const lf_time_ms t0 = 1700000000000, H = 3600000;
	int64_t a = contract_lead(s, "T-1", "t1@example.com");
	int64_t b = contract_lead(s, "T-2", "t2@example.com");
	struct { const char *id; int64_t lead; lf_time_ms at; const char *props; } evs[] = {
		{ "t1", a, t0 + H, "{\"utm_source\":\"paid_search\",\"utm_campaign\":\"brand\"}" },
		{ "t2", a, t0 + 2 * H, "{\"utm_source\":\"paid_social\"}" },
		{ "t3", a, t0 + 9 * H, "{\"utm_source\":\"event\",\"utm_campaign\":\"expo\"}" },
		{ "t4", b, t0 + H, "{\"utm_source\":5}" },   /* not a source: no touch */
	};
	struct lf_transition mql = { .lead_id = a, .from = LF_STAGE_LEAD, .to = LF_STAGE_MQL,
				     .actor = "gate", .at = t0 + 5 * H };
	struct touches_seen seen = { 0 };
	struct lf_report_filter all = { 0 };
	bool ins;

	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		struct lf_event e = { (char *)evs[i].id, evs[i].lead, (char *)"ad_click", evs[i].at,
				      (char *)evs[i].props };
		assert_int_equal(lf_store_event_insert(s, &e, &ins, &err), LF_OK);
	}
	assert_int_equal(lf_store_transition_append(s, &mql, &err), LF_OK);
	assert_int_equal(lf_store_report_last_touch(s, &all, take_touch_count, &seen, &err), LF_OK);
	/* a: paid_social (t2, the last before its mql at 5 h; t3 came after); b: its own */
	char *parts[4], *save = NULL;
	int n = 0;
	for (char *p = strtok_r(seen.seen, " ", &save); p && n < 4; p = strtok_r(NULL, " ", &save))
		parts[n++] = p;
	qsort(parts, (size_t)n, sizeof(parts[0]), by_text);
	assert_int_equal(n, 2);
	assert_string_equal(parts[0], "paid_social/:1");
	assert_string_equal(parts[1], "webinar/:1");
}

struct events_seen { int n; char seen[512]; };

static enum lf_result take_event_count(void *ctx, const struct lf_event_count *c)
{
	struct events_seen *p = ctx;
	size_t n = strlen(p->seen);
	snprintf(p->seen + n, sizeof(p->seen) - n, "%s%lld:%s:%lld/%lld", p->n++ ? " " : "",
		 (long long)c->week, c->type, (long long)c->n, (long long)c->single);
	return LF_OK;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The KPI counts: events by week and type; visits, and those of one page. */
static void test_report_events(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t lead = contract_lead(s, "K-1", "k1@example.com");
	const lf_time_ms mon = 1793577600000, M = 60000;   /* Monday 2026-11-02 */
	struct { const char *id, *type; lf_time_ms at; } evs[] = {
		{ "k1", "page_view", mon + 10 * M }, { "k2", "page_view", mon + 20 * M },
		{ "k3", "page_view", mon + 90 * M }, { "k4", "email_send", mon },
		{ "k5", "email_bounce", mon + M }, { "k6", "form_submit", mon + 2 * M },
		{ "k7", "page_view", mon + 7 * 1440 * M },
	};
	struct events_seen seen = { 0 };
	struct lf_report_filter all = { 0 }, other = { .source = "paid_search" };
	bool ins;

	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		struct lf_event e = { (char *)evs[i].id, lead, (char *)evs[i].type, evs[i].at,
				      (char *)"{}" };
		assert_int_equal(lf_store_event_insert(s, &e, &ins, &err), LF_OK);
	}
	assert_int_equal(lf_store_report_events(s, &all, take_event_count, &seen, &err), LF_OK);
	/* the rows in a known order, whatever the engine's */
	char *parts[16], *save = NULL;
	int n = 0;
	for (char *p = strtok_r(seen.seen, " ", &save); p && n < 16; p = strtok_r(NULL, " ", &save))
		parts[n++] = p;
	qsort(parts, (size_t)n, sizeof(parts[0]), by_text);
	char joined[512] = "";
	for (int i = 0; i < n; i++) {
		strcat(joined, i ? " " : "");
		strcat(joined, parts[i]);
	}
	assert_string_equal(joined, "1793577600000:email_bounce:1/0 1793577600000:email_send:1/0 "
			    "1793577600000:page_session:2/1 1793577600000:page_view:3/0 "
			    "1794182400000:page_session:1/1 1794182400000:page_view:1/0");
	seen = (struct events_seen){ 0 };
	assert_int_equal(lf_store_report_events(s, &other, take_event_count, &seen, &err), LF_OK);
	assert_int_equal(seen.n, 0);                   /* another source's leads only */
}

struct firsts { int n; char seen[128]; };

static enum lf_result take_first(void *ctx, const char *question, lf_time_ms at)
{
	struct firsts *f = ctx;
	size_t n = strlen(f->seen);
	snprintf(f->seen + n, sizeof(f->seen) - n, "%s%s@%lld", f->n++ ? " " : "", question,
		 (long long)at);
	return LF_OK;
}

struct entered { int n; int64_t id[4]; lf_time_ms at[4]; unsigned stages[4]; };

static enum lf_result take_entered(void *ctx, const struct lf_lead *l, lf_time_ms at,
				   unsigned stages)
{
	struct entered *e = ctx;
	if (e->n < 4) {
		e->id[e->n] = l->id;
		e->at[e->n] = at;
		e->stages[e->n] = stages;
	}
	e->n++;
	return LF_OK;
}

/* What the questions report reads: first answers, and the leads that entered a stage. */
static void test_answers_report_reads(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t a = contract_lead(s, "E-1", "e1@example.com");
	int64_t b = contract_lead(s, "E-2", "e2@example.com");
	struct firsts f = { 0 };
	struct entered e = { 0 };
	static const struct { int lead; enum lf_stage from, to; lf_time_ms at; } moves[] = {
		{ 0, LF_STAGE_ASSIGNED, LF_STAGE_SAL, 100 }, { 0, LF_STAGE_SAL, LF_STAGE_SQL, 200 },
		{ 1, LF_STAGE_ASSIGNED, LF_STAGE_SAL, 50 }, { 1, LF_STAGE_SAL, LF_STAGE_RECYCLED, 60 },
		/* a second entry into sal: the first counts */
		{ 1, LF_STAGE_RECYCLED, LF_STAGE_SAL, 300 },
	};

	assert_int_equal(lf_store_answer_firsts(s, take_first, &f, &err), LF_OK);
	assert_int_equal(f.n, 0);
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		struct lf_transition t = { .lead_id = moves[i].lead ? b : a, .from = moves[i].from,
					   .to = moves[i].to, .actor = "rita", .at = moves[i].at };
		assert_int_equal(lf_store_transition_append(s, &t, &err), LF_OK);
	}
	assert_int_equal(lf_store_answer_add(s, &(struct lf_answer){ .lead_id = a,
		.question = "seats", .value = "8", .actor = "ana", .at = 70 }, &err), LF_OK);
	assert_int_equal(lf_store_answer_add(s, &(struct lf_answer){ .lead_id = b,
		.question = "seats", .value = "9", .actor = "ana", .at = 40 }, &err), LF_OK);
	assert_int_equal(lf_store_answer_add(s, &(struct lf_answer){ .lead_id = b,
		.question = "budget", .value = "\"no\"", .actor = "ana", .at = 90 }, &err), LF_OK);
	assert_int_equal(lf_store_answer_firsts(s, take_first, &f, &err), LF_OK);
	assert_string_equal(f.seen, "budget@90 seats@40");

	assert_int_equal(lf_store_leads_entered(s, LF_STAGE_SAL, 0, take_entered, &e, &err), LF_OK);
	assert_int_equal(e.n, 2);
	assert_true(e.id[0] == a && e.at[0] == 100 && e.id[1] == b && e.at[1] == 50);
	assert_true(e.stages[0] & LF_STAGE_BIT(LF_STAGE_SQL));
	assert_true((e.stages[1] & LF_STAGE_BIT(LF_STAGE_RECYCLED)) &&
		    !(e.stages[1] & LF_STAGE_BIT(LF_STAGE_SQL)));
	e = (struct entered){ 0 };
	assert_int_equal(lf_store_leads_entered(s, LF_STAGE_SAL, 80, take_entered, &e, &err), LF_OK);
	assert_true(e.n == 1 && e.id[0] == a);
	e = (struct entered){ 0 };
	assert_int_equal(lf_store_leads_entered(s, LF_STAGE_WON, 0, take_entered, &e, &err), LF_OK);
	assert_int_equal(e.n, 0);
}

/* What the recycle rules read: the leads at a stage, with their last move there. */
static void test_leads_at(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t a = contract_lead(s, "R-1", "r1@example.com");
	int64_t b = contract_lead(s, "R-2", "r2@example.com");
	struct entered e = { 0 };
	static const struct { int lead; lf_time_ms at; } moves[] = { { 0, 50 }, { 0, 100 }, { 1, 300 } };

	for (size_t i = 0; i < 3; i++) {
		int64_t id = moves[i].lead ? b : a;
		struct lf_transition t = { .lead_id = id, .from = LF_STAGE_MQL,
					   .to = LF_STAGE_ASSIGNED, .actor = "gate", .at = moves[i].at };
		assert_int_equal(lf_store_transition_append(s, &t, &err), LF_OK);
		assert_int_equal(lf_store_lead_move(s, id, LF_STAGE_ASSIGNED, 0, NULL, moves[i].at,
						    &err), LF_OK);
	}
	assert_int_equal(lf_store_leads_at(s, LF_STAGE_ASSIGNED, 200, take_entered, &e, &err), LF_OK);
	assert_true(e.n == 1 && e.id[0] == a && e.at[0] == 100);   /* the last move there */
	e = (struct entered){ 0 };
	assert_int_equal(lf_store_leads_at(s, LF_STAGE_ASSIGNED, 300, take_entered, &e, &err), LF_OK);
	assert_true(e.n == 2 && e.id[1] == b && e.at[1] == 300);
	e = (struct entered){ 0 };
	assert_int_equal(lf_store_leads_at(s, LF_STAGE_SAL, 1000, take_entered, &e, &err), LF_OK);
	assert_int_equal(e.n, 0);
}

struct recycled { int n; char row[2][128]; };

static enum lf_result take_owner(void *ctx, const struct lf_transition *t)
{
	struct { int n; int64_t owner[4]; } *o = ctx;
	if (o->n < 4)
		o->owner[o->n] = t->owner_rep_id;
	o->n++;
	return LF_OK;
}

static enum lf_result take_recycled(void *ctx, const struct lf_recycle_count *c)
{
	struct recycled *x = ctx;
	if (x->n < 2)
		snprintf(x->row[x->n], sizeof(x->row[0]), "%d|%s|%s|%lld %lld %lld %lld", c->by_rule,
			 c->note, c->reason, (long long)c->n, (long long)c->back, (long long)c->sql,
			 (long long)c->won);
	x->n++;
	return LF_OK;
}

/* What the recycle report reads: who sent leads back, and what they did after. */
static void test_recycle_outcomes(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t a = contract_lead(s, "C-1", "c1@example.com");
	int64_t b = contract_lead(s, "C-2", "c2@example.com");
	struct recycled x = { 0 };
	struct lf_transition moves[] = {
		{ .lead_id = a, .from = LF_STAGE_ASSIGNED, .to = LF_STAGE_RECYCLED, .actor = "model",
		  .at = 100, .reason = "unreachable", .note = "recycle rule 'x'" },
		{ .lead_id = a, .from = LF_STAGE_RECYCLED, .to = LF_STAGE_LEAD, .actor = "system",
		  .at = 200 },
		{ .lead_id = b, .from = LF_STAGE_SAL, .to = LF_STAGE_RECYCLED, .actor = "maya",
		  .at = 150, .reason = "bad_timing" },
		{ .lead_id = a, .from = LF_STAGE_SAL, .to = LF_STAGE_SQL, .actor = "maya", .at = 300 },
	};
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
		assert_int_equal(lf_store_transition_append(s, &moves[i], &err), LF_OK);
	assert_int_equal(lf_store_recycle_outcomes(s, 0, 0, take_recycled, &x, &err), LF_OK);
	assert_int_equal(x.n, 2);
	assert_string_equal(x.row[0], "1|recycle rule 'x'|unreachable|1 1 1 0");   /* rules first */
	assert_string_equal(x.row[1], "0||bad_timing|1 0 0 0");
	x = (struct recycled){ 0 };
	assert_int_equal(lf_store_recycle_outcomes(s, 120, 160, take_recycled, &x, &err), LF_OK);
	assert_int_equal(x.n, 1);
	assert_string_equal(x.row[0], "0||bad_timing|1 0 0 0");
}

/* Reps keep their tier; a move keeps who holds the lead after it. */
static void test_tiers_and_owners(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_rep sdr = { .name = "Sid", .weekly_hours = 40, .max_active = 5 };
	struct lf_rep ae = { .name = "Ava", .weekly_hours = 40, .max_active = 5,
			     .tier = LF_TIER_AE }, got;
	int64_t a = contract_lead(s, "T-1", "t1@example.com");
	int64_t b = contract_lead(s, "T-2", "t2@example.com");
	int64_t c = contract_lead(s, "T-3", "t3@example.com");
	struct entered e = { 0 };

	assert_int_equal(lf_store_rep_insert(s, &sdr, &err), LF_OK);
	assert_int_equal(lf_store_rep_insert(s, &ae, &err), LF_OK);
	assert_int_equal(lf_store_rep_get(s, ae.id, &got, &err), LF_OK);
	assert_int_equal(got.tier, LF_TIER_AE);
	got.tier = LF_TIER_SDR;
	assert_int_equal(lf_store_rep_update(s, &got, &err), LF_OK);
	lf_rep_release(&got);
	assert_int_equal(lf_store_rep_get(s, ae.id, &got, &err), LF_OK);
	assert_int_equal(got.tier, LF_TIER_SDR);
	got.tier = LF_TIER_AE;
	assert_int_equal(lf_store_rep_update(s, &got, &err), LF_OK);
	lf_rep_release(&got);

	/* a and b at sql, a held by the SDR, b by the AE; c at sal */
	struct { int64_t lead, owner; enum lf_stage to; lf_time_ms at; } moves[] = {
		{ a, sdr.id, LF_STAGE_SQL, 100 }, { b, ae.id, LF_STAGE_SQL, 200 },
		{ c, sdr.id, LF_STAGE_SAL, 300 },
	};
	for (size_t i = 0; i < 3; i++) {
		struct lf_transition t = { .lead_id = moves[i].lead, .from = LF_STAGE_SAL,
					   .to = moves[i].to, .actor = "x", .at = moves[i].at,
					   .owner_rep_id = moves[i].owner };
		assert_int_equal(lf_store_transition_append(s, &t, &err), LF_OK);
		assert_int_equal(lf_store_lead_move(s, moves[i].lead, moves[i].to, moves[i].owner,
						    NULL, moves[i].at, &err), LF_OK);
	}
	assert_int_equal(lf_store_sqls_unhanded(s, take_entered, &e, &err), LF_OK);
	assert_true(e.n == 1 && e.id[0] == a && e.at[0] == 100);
	struct owners { int n; int64_t owner[4]; } o = { 0 };
	assert_int_equal(lf_store_transition_list(s, b, take_owner, &o, &err), LF_OK);
	assert_true(o.n == 1 && o.owner[0] == ae.id);
}

struct stays { int n; char row[4][128]; };

static enum lf_result take_stay(void *ctx, const struct lf_stage_stay *y)
{
	struct stays *x = ctx;
	if (x->n < 4)
		snprintf(x->row[x->n], sizeof(x->row[0]), "%lld..%lld %s %s %s %d%d",
			 (long long)y->entered, (long long)y->left, y->next_stage, y->next_actor,
			 y->next_note, y->sql_after, y->won_after);
	x->n++;
	return LF_OK;
}

/* What the recycle report replays its rules over: each stay at a stage. */
static void test_stage_stays(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t a = contract_lead(s, "S-1", "s1@example.com");
	int64_t b = contract_lead(s, "S-2", "s2@example.com");
	struct stays x = { 0 };
	struct lf_transition moves[] = {
		{ .lead_id = a, .from = LF_STAGE_MQL, .to = LF_STAGE_ASSIGNED, .actor = "gate", .at = 100 },
		/* a reassignment neither ends nor begins a stay */
		{ .lead_id = a, .from = LF_STAGE_ASSIGNED, .to = LF_STAGE_ASSIGNED, .actor = "sla", .at = 150 },
		{ .lead_id = a, .from = LF_STAGE_ASSIGNED, .to = LF_STAGE_SAL, .actor = "maya", .at = 400 },
		{ .lead_id = a, .from = LF_STAGE_SAL, .to = LF_STAGE_SQL, .actor = "maya", .at = 500 },
		{ .lead_id = b, .from = LF_STAGE_MQL, .to = LF_STAGE_ASSIGNED, .actor = "gate", .at = 200 },
		{ .lead_id = b, .from = LF_STAGE_ASSIGNED, .to = LF_STAGE_RECYCLED, .actor = "model",
		  .at = 250, .note = "recycle rule 'r'" },
		{ .lead_id = b, .from = LF_STAGE_RECYCLED, .to = LF_STAGE_LEAD, .actor = "system", .at = 260 },
		{ .lead_id = b, .from = LF_STAGE_MQL, .to = LF_STAGE_ASSIGNED, .actor = "gate", .at = 300 },
	};
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
		assert_int_equal(lf_store_transition_append(s, &moves[i], &err), LF_OK);
	assert_int_equal(lf_store_stage_stays(s, LF_STAGE_ASSIGNED, 0, 0, 0, 1000, take_stay, &x,
					      &err), LF_OK);
	assert_int_equal(x.n, 3);
	assert_string_equal(x.row[0], "100..400 sal maya  10");
	assert_string_equal(x.row[1], "200..250 recycled model recycle rule 'r' 00");
	assert_string_equal(x.row[2], "300..0    00");     /* still there */
	/* at least 100 long (the open one until now), begun in [150, 1000) */
	x = (struct stays){ 0 };
	assert_int_equal(lf_store_stage_stays(s, LF_STAGE_ASSIGNED, 150, 1000, 100, 1000,
					      take_stay, &x, &err), LF_OK);
	assert_int_equal(x.n, 1);
	assert_string_equal(x.row[0], "300..0    00");
}

struct handoffs { int n; char row[6][96]; };

static enum lf_result take_handoff(void *ctx, const struct lf_handoff_count *c)
{
	struct handoffs *x = ctx;
	if (x->n < 6)
		snprintf(x->row[x->n], sizeof(x->row[0]), "%s %lld %s|%s %lld won %lld ms %.0f r %lld/%lld",
			 lf_tier_name(c->tier), (long long)c->sdr, c->decision, c->reason,
			 (long long)c->n, (long long)c->won, c->decide_ms, (long long)c->rating,
			 (long long)c->rated);
	x->n++;
	return LF_OK;
}

/* What the handoffs report reads: each handoff and the first decision after it. */
static void test_handoff_outcomes(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_rep sdr = { .name = "Sol", .weekly_hours = 40, .max_active = 5 };
	struct lf_rep ae = { .name = "Abe", .weekly_hours = 40, .max_active = 5,
			     .tier = LF_TIER_AE };
	assert_int_equal(lf_store_rep_insert(s, &sdr, &err), LF_OK);
	assert_int_equal(lf_store_rep_insert(s, &ae, &err), LF_OK);
	int64_t a = contract_lead(s, "H-1", "h1@example.com");
	int64_t b = contract_lead(s, "H-2", "h2@example.com");
	struct handoffs x = { 0 };
	struct lf_transition moves[] = {
		{ .lead_id = a, .from = LF_STAGE_MQL, .to = LF_STAGE_ASSIGNED, .actor = "gate",
		  .at = 100, .owner_rep_id = sdr.id },
		{ .lead_id = a, .from = LF_STAGE_ASSIGNED, .to = LF_STAGE_SAL, .actor = "Sol",
		  .at = 150, .rating = 4, .owner_rep_id = sdr.id },
		{ .lead_id = a, .from = LF_STAGE_SAL, .to = LF_STAGE_SQL, .actor = "Sol",
		  .at = 200, .owner_rep_id = sdr.id },
		{ .lead_id = a, .from = LF_STAGE_SQL, .to = LF_STAGE_SQL, .actor = "handoff",
		  .at = 210, .owner_rep_id = ae.id },
		/* the AE sends it back, the SDR qualifies it again, the AE accepts it */
		{ .lead_id = a, .from = LF_STAGE_SQL, .to = LF_STAGE_SAL, .actor = "Abe",
		  .at = 260, .reason = "no_pain", .rating = 2, .owner_rep_id = sdr.id },
		{ .lead_id = a, .from = LF_STAGE_SAL, .to = LF_STAGE_SQL, .actor = "Sol",
		  .at = 300, .owner_rep_id = sdr.id },
		{ .lead_id = a, .from = LF_STAGE_SQL, .to = LF_STAGE_SQL, .actor = "handoff",
		  .at = 310, .owner_rep_id = ae.id },
		{ .lead_id = a, .from = LF_STAGE_SQL, .to = LF_STAGE_OPPORTUNITY, .actor = "Abe",
		  .at = 410, .owner_rep_id = ae.id },
		{ .lead_id = a, .from = LF_STAGE_OPPORTUNITY, .to = LF_STAGE_WON, .actor = "Abe",
		  .at = 500, .owner_rep_id = ae.id },
		/* b: assigned, rejected */
		{ .lead_id = b, .from = LF_STAGE_MQL, .to = LF_STAGE_ASSIGNED, .actor = "gate",
		  .at = 120, .owner_rep_id = sdr.id },
		{ .lead_id = b, .from = LF_STAGE_ASSIGNED, .to = LF_STAGE_RECYCLED, .actor = "Sol",
		  .at = 180, .reason = "no_need", .owner_rep_id = sdr.id },
	};
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
		assert_int_equal(lf_store_transition_append(s, &moves[i], &err), LF_OK);
	assert_int_equal(lf_store_handoff_outcomes(s, 0, 0, take_handoff, &x, &err), LF_OK);
	assert_int_equal(x.n, 4);
	char want[4][96];
	snprintf(want[0], 96, "sdr %lld recycled|no_need 1 won 0 ms 60 r 0/0", (long long)sdr.id);
	snprintf(want[1], 96, "sdr %lld sal| 1 won 1 ms 50 r 4/1", (long long)sdr.id);
	snprintf(want[2], 96, "ae %lld opportunity| 1 won 1 ms 100 r 0/0", (long long)sdr.id);
	snprintf(want[3], 96, "ae %lld sal|no_pain 1 won 1 ms 50 r 2/1", (long long)sdr.id);
	for (int i = 0; i < 4; i++)
		assert_string_equal(x.row[i], want[i]);
	x = (struct handoffs){ 0 };
	assert_int_equal(lf_store_handoff_outcomes(s, 300, 400, take_handoff, &x, &err), LF_OK);
	assert_int_equal(x.n, 1);
	assert_string_equal(x.row[0], want[2]);
}

static void test_events_in_one_go(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t lead = contract_lead(s, "M-1", "m1@example.com");
	struct lf_event old = { .id = "m-0", .lead_id = lead, .type = "page_view",
				.occurred_at = 500 };
	/* new, stored already, new with text COPY must escape, the first again */
	struct lf_event e[] = {
		{ .id = "m-1", .lead_id = lead, .type = "page_view", .occurred_at = 1000,
		  .properties = "{\"url\":\"/a\\tb\\\\c\"}" },
		{ .id = "m-0", .lead_id = lead, .type = "page_view", .occurred_at = 500 },
		{ .id = "m-2", .lead_id = lead, .type = "email\topen\nx", .occurred_at = 1001 },
		{ .id = "m-1", .lead_id = lead, .type = "other", .occurred_at = 9 },
	};
	bool ins[4] = { false }, one;
	struct lf_event got = { 0 };

	assert_int_equal(lf_store_event_insert(s, &old, &one, &err), LF_OK);
	assert_int_equal(lf_store_event_insert_many(s, e, 4, ins, &err), LF_OK);
	assert_true(ins[0]);
	assert_false(ins[1]);
	assert_true(ins[2]);
	assert_false(ins[3]);   /* the batch's first m-1 is the one kept */
	assert_int_equal(lf_store_event_get(s, "m-1", &got, &err), LF_OK);
	assert_string_equal(got.type, "page_view");
	assert_string_equal(got.properties, "{\"url\":\"/a\\tb\\\\c\"}");
	lf_event_release(&got);
	assert_int_equal(lf_store_event_get(s, "m-2", &got, &err), LF_OK);
	assert_string_equal(got.type, "email\topen\nx");
	assert_string_equal(got.properties, "{}");
	lf_event_release(&got);

	/* one orphan fails the lot, inside a transaction that goes on after */
	struct lf_event bad[] = {
		{ .id = "m-3", .lead_id = lead, .type = "x", .occurred_at = 1 },
		{ .id = "m-4", .lead_id = 987654, .type = "x", .occurred_at = 1 },
	};
	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	assert_int_equal(lf_store_event_insert_many(s, bad, 2, ins, &err), LF_ERR_NOT_FOUND);
	assert_int_equal(lf_store_event_get(s, "m-3", &got, &err), LF_ERR_NOT_FOUND);
	assert_int_equal(lf_store_event_insert(s, &bad[0], &one, &err), LF_OK);
	assert_true(one);
	assert_int_equal(lf_store_commit(s, &err), LF_OK);
	assert_int_equal(lf_store_event_get(s, "m-3", &got, &err), LF_OK);
	lf_event_release(&got);
	assert_int_equal(lf_store_event_insert_many(s, e, 0, ins, &err), LF_OK);
}

struct ev_order {
	char ids[4][16];
	int n;
};

static enum lf_result collect_event(void *ctx, const struct lf_event *e)
{
	struct ev_order *o = ctx;
	if (o->n < 4)
		snprintf(o->ids[o->n], sizeof(o->ids[0]), "%s", e->id);
	o->n++;
	return LF_OK;
}

static void test_event_list_order(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t lead = contract_lead(s, "E-2", "e2@example.com");
	const char *ids[] = { "c", "a", "b" };
	const lf_time_ms at[] = { 30, 10, 30 };
	bool ins;

	for (int i = 0; i < 3; i++) {
		struct lf_event e = { .id = (char *)ids[i], .lead_id = lead,
				      .type = "t", .occurred_at = at[i] };
		assert_int_equal(lf_store_event_insert(s, &e, &ins, &err), LF_OK);
	}
	struct ev_order o = { .n = 0 };
	assert_int_equal(lf_store_event_list(s, lead, collect_event, &o, &err), LF_OK);
	assert_int_equal(o.n, 3);
	assert_string_equal(o.ids[0], "a");
	assert_string_equal(o.ids[1], "b");
	assert_string_equal(o.ids[2], "c");
}

struct scan { int64_t lead[8]; lf_time_ms at[8]; char id[8][8]; int n; };

static enum lf_result scan_event(void *ctx, const struct lf_event *e)
{
	struct scan *x = ctx;
	if (x->n == 8)
		return LF_ERR_INTERNAL;
	x->lead[x->n] = e->lead_id;
	strncpy(x->id[x->n], e->id, sizeof(x->id[0]) - 1);
	x->at[x->n++] = e->occurred_at;
	return LF_OK;
}

static enum lf_result scan_transition(void *ctx, const struct lf_transition *t)
{
	struct scan *x = ctx;
	if (x->n == 8)
		return LF_ERR_INTERNAL;
	x->lead[x->n] = t->lead_id;
	x->at[x->n++] = t->at;
	return LF_OK;
}

/* Lead 0 lists every lead's events and transitions, in lead order, then time. */
static void test_scans_of_every_lead(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t a = contract_lead(s, "S-1", "s1@example.com");
	int64_t b = contract_lead(s, "S-2", "s2@example.com");
	const char *ids[] = { "s-4", "s-1", "s-3", "s-2" };
	const int64_t who[] = { b, a, b, a };
	const lf_time_ms at[] = { 5, 30, 1, 10 };
	bool ins;

	for (int i = 0; i < 4; i++) {
		struct lf_event e = { .id = (char *)ids[i], .lead_id = who[i], .type = "t",
				      .occurred_at = at[i] };
		assert_int_equal(lf_store_event_insert(s, &e, &ins, &err), LF_OK);
	}
	struct scan x = { .n = 0 };
	assert_int_equal(lf_store_event_list(s, 0, scan_event, &x, &err), LF_OK);
	assert_int_equal(x.n, 4);
	assert_true(x.lead[0] == a && x.at[0] == 10 && x.lead[1] == a && x.at[1] == 30);
	assert_true(x.lead[2] == b && x.at[2] == 1 && x.lead[3] == b && x.at[3] == 5);

	/* ties of time: by the event's id, in a lead's list and in the whole
	 * history alike (a rescore replays what live scoring read), whatever
	 * the order written */
	const char *tied[] = { "s-9", "s-5" };
	for (int i = 0; i < 2; i++) {
		struct lf_event e = { .id = (char *)tied[i], .lead_id = a, .type = "t",
				      .occurred_at = 20 };
		assert_int_equal(lf_store_event_insert(s, &e, &ins, &err), LF_OK);
	}
	struct scan one = { .n = 0 }, every = { .n = 0 };
	assert_int_equal(lf_store_event_list(s, a, scan_event, &one, &err), LF_OK);
	assert_int_equal(lf_store_event_list(s, 0, scan_event, &every, &err), LF_OK);
	assert_int_equal(one.n, 4);
	assert_string_equal(one.id[1], "s-5");
	assert_string_equal(one.id[2], "s-9");
	for (int i = 0; i < 4; i++)
		assert_string_equal(every.id[i], one.id[i]);

	struct lf_transition t1 = { .lead_id = b, .from = LF_STAGE_LEAD, .to = LF_STAGE_MQL,
				    .actor = "system", .at = 7 };
	struct lf_transition t2 = { .lead_id = a, .from = LF_STAGE_LEAD, .to = LF_STAGE_MQL,
				    .actor = "system", .at = 9 };
	assert_int_equal(lf_store_transition_append(s, &t1, &err), LF_OK);
	assert_int_equal(lf_store_transition_append(s, &t2, &err), LF_OK);
	memset(&x, 0, sizeof(x));
	assert_int_equal(lf_store_transition_list(s, 0, scan_transition, &x, &err), LF_OK);
	/* insert_lead may record transitions of its own: only the order is checked */
	for (int i = 1; i < x.n; i++)
		assert_true(x.lead[i - 1] <= x.lead[i]);
	int seen = 0;
	for (int i = 0; i < x.n; i++)
		seen += (x.lead[i] == b && x.at[i] == 7) + (x.lead[i] == a && x.at[i] == 9);
	assert_int_equal(seen, 2);
}

static enum lf_result count_touch(void *ctx, const struct lf_touch *t)
{
	double *minutes = ctx;
	*minutes += t->minutes;
	return LF_OK;
}

static void test_reps_and_touches(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_rep r = { .name = "Maya", .team = "emea", .pools = "emea,smb",
			    .weekly_hours = 32, .max_active = 40, .away = false };
	struct lf_rep dup = { .name = "Maya", .weekly_hours = 40, .max_active = 1 };
	struct lf_rep got = { 0 };
	int64_t lead = contract_lead(s, "T-1", "t1@example.com");
	bool ins;

	assert_int_equal(lf_store_rep_insert(s, &r, &err), LF_OK);
	assert_true(r.id > 0);
	assert_int_equal(lf_store_rep_insert(s, &dup, &err), LF_ERR_CONFLICT);
	assert_int_equal(lf_store_rep_find(s, "Maya", &got, &err), LF_OK);
	assert_int_equal(got.id, r.id);
	assert_string_equal(got.pools, "emea,smb");
	assert_true(got.weekly_hours == 32);
	assert_int_equal(got.max_active, 40);
	lf_rep_release(&got);
	assert_int_equal(lf_store_rep_find(s, "Nobody", &got, &err), LF_ERR_NOT_FOUND);
	assert_int_equal(lf_store_rep_get(s, r.id, &got, &err), LF_OK);
	assert_string_equal(got.name, "Maya");
	assert_string_equal(got.team, "emea");
	lf_rep_release(&got);
	assert_int_equal(lf_store_rep_get(s, r.id + 100, &got, &err), LF_ERR_NOT_FOUND);

	bool there = false;
	assert_int_equal(lf_store_lead_field_present(s, "visits", true, &there, &err), LF_OK);
	assert_true(there);                  /* make_lead's attribute */
	assert_int_equal(lf_store_lead_field_present(s, "calls", true, &there, &err), LF_OK);
	assert_false(there);
	assert_int_equal(lf_store_lead_field_present(s, "name", false, &there, &err), LF_OK);
	assert_true(there);
	assert_int_equal(lf_store_lead_field_present(s, "campaign", false, &there, &err), LF_OK);
	assert_false(there);

	struct lf_touch t = { .key = "k1", .lead_id = lead, .rep_id = r.id,
			      .kind = "call", .minutes = 15, .outcome = "voicemail",
			      .at = 5000 };
	assert_int_equal(lf_store_touch_insert(s, &t, &ins, &err), LF_OK);
	assert_true(ins);
	assert_true(t.id > 0);
	assert_int_equal(lf_store_touch_insert(s, &t, &ins, &err), LF_OK);
	assert_false(ins);
	struct lf_touch t2 = { .key = "k2", .lead_id = lead, .kind = "email",
			       .minutes = 5, .at = 6000 };
	assert_int_equal(lf_store_touch_insert(s, &t2, &ins, &err), LF_OK);
	double minutes = 0;
	assert_int_equal(lf_store_touch_list(s, lead, count_touch, &minutes, &err), LF_OK);
	assert_true(minutes == 20);
}

static enum lf_result collect_transition(void *ctx, const struct lf_transition *t)
{
	struct lf_transition *out = ctx;
	int n = out[0].rating++;
	out[1 + n].from = t->from;
	out[1 + n].to = t->to;
	out[1 + n].rating = t->rating;
	return LF_OK;
}

static void test_transitions_append_only(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t lead = contract_lead(s, "R-1", "r1@example.com");
	struct lf_transition t = { .lead_id = lead, .from = LF_STAGE_LEAD,
				   .to = LF_STAGE_MQL, .actor = "system", .at = 10 };
	struct lf_transition t2 = { .lead_id = lead, .from = LF_STAGE_MQL,
				    .to = LF_STAGE_ASSIGNED, .actor = "gate", .at = 20,
				    .reason = "capacity", .rating = 4, .note = "hot" };
	struct lf_transition got[4] = { 0 };

	assert_int_equal(lf_store_transition_append(s, &t, &err), LF_OK);
	assert_int_equal(lf_store_transition_append(s, &t2, &err), LF_OK);
	assert_true(t2.id > t.id);
	assert_int_equal(lf_store_transition_list(s, lead, collect_transition, got, &err),
			 LF_OK);
	assert_int_equal(got[0].rating, 2);
	assert_int_equal(got[1].to, LF_STAGE_MQL);
	assert_int_equal(got[2].to, LF_STAGE_ASSIGNED);
	assert_int_equal(got[2].rating, 4);

	struct lf_transition bad = t2;
	bad.rating = 9;
	assert_int_equal(lf_store_transition_append(s, &bad, &err), LF_ERR_CONFLICT);

	/* the leads behind a reason: any stage, or only transitions to one */
	struct collect why = { 0 }, to_won = { 0 }, other = { 0 };
	struct lf_lead_filter f = LF_LEAD_FILTER_ALL;
	contract_lead(s, "R-2", "r2@example.com");
	f.reason = "capacity";
	assert_int_equal(lf_store_lead_list(s, &f, collect_lead, &why, &err), LF_OK);
	assert_true(why.n == 1 && why.ids[0] == lead);
	f.reason_stage = LF_STAGE_WON;
	assert_int_equal(lf_store_lead_list(s, &f, collect_lead, &to_won, &err), LF_OK);
	assert_int_equal(to_won.n, 0);
	f = (struct lf_lead_filter)LF_LEAD_FILTER_ALL;
	f.reason = "budget";
	assert_int_equal(lf_store_lead_list(s, &f, collect_lead, &other, &err), LF_OK);
	assert_int_equal(other.n, 0);

	/* created in a period; owned by a rep of a team */
	struct collect in = { 0 }, out = { 0 }, team = { 0 };
	f = (struct lf_lead_filter)LF_LEAD_FILTER_ALL;
	f.created_from = 1700000000000;
	f.created_to = 1700000000001;
	assert_int_equal(lf_store_lead_list(s, &f, collect_lead, &in, &err), LF_OK);
	assert_int_equal(in.n, 2);
	f.created_from = 1700000000001;
	f.created_to = 0;
	assert_int_equal(lf_store_lead_list(s, &f, collect_lead, &out, &err), LF_OK);
	assert_int_equal(out.n, 0);
	struct lf_rep rep = { .name = "Noor", .team = "north", .weekly_hours = 40,
			      .max_active = 10 };
	struct lf_lead owned;
	assert_int_equal(lf_store_rep_insert(s, &rep, &err), LF_OK);
	assert_int_equal(lf_store_lead_get(s, lead, &owned, &err), LF_OK);
	owned.owner_rep_id = rep.id;
	assert_int_equal(lf_store_lead_update(s, &owned, &err), LF_OK);
	lf_lead_release(&owned);
	f = (struct lf_lead_filter)LF_LEAD_FILTER_ALL;
	f.team = "north";
	assert_int_equal(lf_store_lead_list(s, &f, collect_lead, &team, &err), LF_OK);
	assert_true(team.n == 1 && team.ids[0] == lead);
	f.team = "south";
	team.n = 0;
	assert_int_equal(lf_store_lead_list(s, &f, collect_lead, &team, &err), LF_OK);
	assert_int_equal(team.n, 0);
}

static enum lf_result count_model(void *ctx, const struct lf_model *m)
{
	int *n = ctx;
	(*n)++;
	return m->version > 0 ? LF_OK : LF_ERR_INTERNAL;
}

static void test_models(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_model a = { .name = "default", .text = "name: default\n" };
	struct lf_model b = { .name = "default", .text = "name: default\nfloor: 70\n" };
	struct lf_model got = { 0 };
	int n = 0;

	assert_int_equal(lf_store_model_add(s, &a, &err), LF_OK);
	assert_int_equal(lf_store_model_add(s, &b, &err), LF_OK);
	assert_int_equal(a.version, 1);
	assert_int_equal(b.version, 2);
	assert_string_equal(b.status, "draft");
	assert_int_equal(lf_store_model_set_status(s, 2, "active", &err), LF_OK);
	assert_int_equal(lf_store_model_get(s, 2, &got, &err), LF_OK);
	assert_string_equal(got.status, "active");
	assert_string_equal(got.text, "name: default\nfloor: 70\n");
	lf_model_release(&got);
	assert_int_equal(lf_store_model_set_status(s, 2, "bogus", &err), LF_ERR_CONFLICT);
	assert_int_equal(lf_store_model_set_status(s, 7, "active", &err), LF_ERR_NOT_FOUND);
	assert_int_equal(lf_store_model_get(s, 7, &got, &err), LF_ERR_NOT_FOUND);
	assert_int_equal(lf_store_model_list(s, count_model, &n, &err), LF_OK);
	assert_int_equal(n, 2);
	free(a.status);
	free(b.status);
}

static void test_truth(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t lead = contract_lead(s, "H-1", "h1@example.com");
	double ps = 0, pw = 0;

	assert_int_equal(lf_store_truth_put(s, lead, 0.3, 0.1, &err), LF_OK);
	assert_int_equal(lf_store_truth_put(s, lead, 0.4, 0.2, &err), LF_OK);
	assert_int_equal(lf_store_truth_get(s, lead, &ps, &pw, &err), LF_OK);
	assert_true(ps == 0.4 && pw == 0.2);
	assert_int_equal(lf_store_truth_get(s, lead + 1, &ps, &pw, &err), LF_ERR_NOT_FOUND);
}

static void test_transaction_rollback(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_lead l;

	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	contract_lead(s, "TX-1", "tx1@example.com");
	lf_store_rollback(s);
	assert_int_equal(lf_store_lead_find(s, LF_KEY_EXTERNAL_ID, "TX-1", &l, &err),
			 LF_ERR_NOT_FOUND);

	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	contract_lead(s, "TX-2", "tx2@example.com");
	assert_int_equal(lf_store_commit(s, &err), LF_OK);
	assert_int_equal(lf_store_lead_find(s, LF_KEY_EXTERNAL_ID, "TX-2", &l, &err), LF_OK);
	lf_lead_release(&l);
}

static void test_nested_transactions(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_lead l;

	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	contract_lead(s, "N-1", "n1@example.com");
	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	contract_lead(s, "N-2", "n2@example.com");
	lf_store_rollback(s);                     /* undoes N-2 only */
	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	contract_lead(s, "N-3", "n3@example.com");
	assert_int_equal(lf_store_commit(s, &err), LF_OK);
	assert_int_equal(lf_store_commit(s, &err), LF_OK);
	assert_int_equal(lf_store_commit(s, &err), LF_ERR_INTERNAL); /* none open */
	assert_int_equal(lf_store_lead_find(s, LF_KEY_EXTERNAL_ID, "N-1", &l, &err), LF_OK);
	lf_lead_release(&l);
	assert_int_equal(lf_store_lead_find(s, LF_KEY_EXTERNAL_ID, "N-2", &l, &err),
			 LF_ERR_NOT_FOUND);
	assert_int_equal(lf_store_lead_find(s, LF_KEY_EXTERNAL_ID, "N-3", &l, &err), LF_OK);
	lf_lead_release(&l);
}

static enum lf_result count_event(void *ctx, const struct lf_event *e)
{
	(void)e;
	(*(int *)ctx)++;
	return LF_OK;
}

static void test_lead_erase(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t lead = contract_lead(s, "E-1", "e1@example.com");
	struct lf_event e = { .id = "ev-e1", .lead_id = lead, .type = "email_open",
			      .occurred_at = 5, .properties = "{}" };
	struct lf_transition t = { .lead_id = lead, .from = LF_STAGE_LEAD,
				   .to = LF_STAGE_MQL, .actor = "system", .at = 10,
				   .note = "called Ada at home" };
	struct lf_transition got[4] = { 0 };
	struct lf_lead l;
	bool ins;
	int64_t events = 0, touches = 0;
	int n = 0;

	assert_int_equal(lf_store_event_insert(s, &e, &ins, &err), LF_OK);
	assert_int_equal(lf_store_transition_append(s, &t, &err), LF_OK);
	assert_int_equal(lf_store_lead_erase(s, lead, "admin", &events, &touches, &err), LF_OK);
	assert_int_equal(events, 1);
	assert_int_equal(touches, 0);
	assert_int_equal(lf_store_lead_get(s, lead, &l, &err), LF_OK);
	assert_null(l.email);
	assert_null(l.name);
	assert_null(l.external_id);
	assert_string_equal(l.source, "webinar");   /* anonymous counts stay */
	assert_int_equal(l.attrs.n, 0);
	lf_lead_release(&l);
	assert_int_equal(lf_store_event_list(s, lead, count_event, &n, &err), LF_OK);
	assert_int_equal(n, 0);
	assert_int_equal(lf_store_transition_list(s, lead, collect_transition, got, &err),
			 LF_OK);
	assert_int_equal(got[1].to, LF_STAGE_MQL);
	assert_null(got[1].note);
	assert_int_equal(lf_store_lead_erase(s, lead + 100, "admin", &events, &touches, &err),
			 LF_ERR_NOT_FOUND);
}

static enum lf_result count_token(void *ctx, const struct lf_token *t)
{
	(void)t;
	(*(int *)ctx)++;
	return LF_OK;
}

static void test_tokens(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_token t = { .name = "crm", .role = "marketing", .hash = "ab12" };
	struct lf_token dup = { .name = "crm", .role = "admin", .hash = "cd34" };
	struct lf_token got;
	int n = 0;

	assert_int_equal(lf_store_token_insert(s, &t, &err), LF_OK);
	assert_true(t.id > 0);
	assert_int_equal(lf_store_token_insert(s, &dup, &err), LF_ERR_CONFLICT);
	assert_int_equal(lf_store_token_get(s, t.id, &got, &err), LF_OK);
	assert_string_equal(got.role, "marketing");
	assert_string_equal(got.hash, "ab12");
	assert_int_equal(got.revoked_at, 0);
	lf_token_release(&got);
	assert_int_equal(lf_store_token_revoke(s, t.id, 99, &err), LF_OK);
	assert_int_equal(lf_store_token_get(s, t.id, &got, &err), LF_OK);
	assert_int_equal(got.revoked_at, 99);
	lf_token_release(&got);
	assert_int_equal(lf_store_token_revoke(s, t.id + 9, 99, &err), LF_ERR_NOT_FOUND);
	assert_int_equal(lf_store_token_get(s, t.id + 9, &got, &err), LF_ERR_NOT_FOUND);
	assert_int_equal(lf_store_token_list(s, count_token, &n, &err), LF_OK);
	assert_int_equal(n, 1);
}

static void test_sessions(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_token t = { .name = "app", .role = "rep", .rep_id = 0, .hash = "ab12" };
	struct lf_session x = { .link = true, .hash = "11ff", .csrf = "22ee", .expires_at = 500 };
	struct lf_session y = { .hash = "33dd", .csrf = "44cc", .created_at = 7, .expires_at = 900 };
	struct lf_session got;

	assert_int_equal(lf_store_token_insert(s, &t, &err), LF_OK);
	x.token_id = y.token_id = t.id;
	assert_int_equal(lf_store_session_insert(s, &x, &err), LF_OK);
	assert_int_equal(lf_store_session_insert(s, &y, &err), LF_OK);
	assert_true(x.id > 0 && y.id > x.id && x.created_at > 0);
	assert_int_equal(lf_store_session_get(s, x.id, &got, &err), LF_OK);
	assert_true(got.link);
	assert_int_equal(got.token_id, t.id);
	assert_string_equal(got.hash, "11ff");
	assert_string_equal(got.csrf, "22ee");
	assert_int_equal(got.expires_at, 500);
	assert_int_equal(got.ended_at, 0);
	assert_int_equal(lf_store_session_get(s, y.id, &got, &err), LF_OK);
	assert_false(got.link);
	assert_int_equal(got.created_at, 7);
	/* ended exactly once: the second end of a link is a conflict */
	assert_int_equal(lf_store_session_end(s, x.id, 123, &err), LF_OK);
	assert_int_equal(lf_store_session_end(s, x.id, 124, &err), LF_ERR_CONFLICT);
	assert_int_equal(lf_store_session_get(s, x.id, &got, &err), LF_OK);
	assert_int_equal(got.ended_at, 123);
	assert_int_equal(lf_store_session_get(s, y.id, &got, &err), LF_OK);
	assert_int_equal(got.ended_at, 0);
	assert_int_equal(lf_store_session_end(s, y.id + 9, 1, &err), LF_ERR_NOT_FOUND);
	assert_int_equal(lf_store_session_get(s, y.id + 9, &got, &err), LF_ERR_NOT_FOUND);
}

/* the first delivery listed (or the one of id want), and how many were */
struct due { int n; struct lf_delivery d; int64_t want; };

static enum lf_result take_due(void *ctx, const struct lf_delivery *d)
{
	struct due *u = ctx;
	if (u->want && d->id != u->want)
		return LF_OK;
	if (u->n++ == 0) {
		u->d = *d;
		u->d.url = strdup(d->url);
		u->d.secret = strdup(d->secret);
		u->d.type = strdup(d->type);
		u->d.data = strdup(d->data);
		u->d.status = strdup(d->status);
		u->d.last_error = NULL;
	}
	return LF_OK;
}

/* Records d's attempt as delivered with the receiver's code, at. */
static enum lf_result record_delivered(struct lf_store *s, struct lf_delivery *d, int code,
				       lf_time_ms at)
{
	struct lf_error err;
	free(d->status);
	d->status = strdup("delivered");
	d->next_at = 0;
	d->last_code = code;
	return lf_store_outbox_attempt(s, d, at, &err);
}

static void test_webhooks_outbox(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_webhook a = { .url = "http://a/", .secret = "k1",
				.types = "lead.mql, model.activated" };
	struct lf_webhook b = { .url = "http://b/", .secret = "k2", .types = "lead.mqlx" };
	struct due u = { 0 };
	lf_time_ms next = 0;
	int queued = -1;

	/* the sender's handle: the same behaviour, only later on the disk */
	assert_int_equal(lf_store_lazy_commits(s, &err), LF_OK);
	assert_int_equal(lf_store_webhook_insert(s, &a, &err), LF_OK);
	assert_int_equal(lf_store_webhook_insert(s, &b, &err), LF_OK);
	assert_int_equal(lf_store_outbox_add(s, "lead.mql", 1000, "{\"lead\":1}", &queued, &err),
			 LF_OK);
	assert_int_equal(queued, 1);             /* "lead.mqlx" is another type */
	assert_int_equal(lf_store_outbox_add(s, "sla.breached", 1000, "{}", &queued, &err),
			 LF_OK);
	assert_int_equal(queued, 0);
	assert_int_equal(lf_store_outbox_claim(s, 999, 60999, 10, take_due, &u, &err), LF_OK);
	assert_int_equal(u.n, 0);                /* not due yet */
	assert_int_equal(lf_store_outbox_claim(s, 1000, 61000, 10, take_due, &u, &err), LF_OK);
	assert_int_equal(u.n, 1);
	assert_string_equal(u.d.url, "http://a/");
	assert_string_equal(u.d.secret, "k1");
	assert_string_equal(u.d.data, "{\"lead\":1}");
	assert_int_equal(u.d.attempt, 1);        /* the claim starts attempt 1 */
	/* claimed: no other claim gets it, nor the next of its subscription */
	assert_int_equal(lf_store_outbox_add(s, "lead.mql", 1000, "{\"lead\":2}", &queued, &err),
			 LF_OK);
	struct due none = { 0 };
	assert_int_equal(lf_store_outbox_claim(s, 1000, 61000, 10, take_due, &none, &err), LF_OK);
	assert_int_equal(none.n, 0);

	free(u.d.status);
	u.d.status = strdup("pending");
	u.d.next_at = 5000;
	u.d.last_code = 500;
	u.d.last_error = strdup("HTTP 500");
	assert_int_equal(lf_store_outbox_attempt(s, &u.d, 1000, &err), LF_OK);
	assert_int_equal(lf_store_outbox_next(s, &next, &err), LF_OK);
	assert_int_equal(next, 1000);            /* the second, due; the first at 5000 */
	lf_delivery_release(&u.d);
	u.n = 0;
	assert_int_equal(lf_store_delivery_list(s, a.id, 10, take_due, &u, &err), LF_OK);
	assert_int_equal(u.n, 2);                /* newest first */
	assert_int_equal(u.d.attempt, 0);
	lf_delivery_release(&u.d);
	/* the record freed the subscription: its next due one is claimed */
	u.n = 0;
	assert_int_equal(lf_store_outbox_claim(s, 1000, 61000, 10, take_due, &u, &err), LF_OK);
	assert_int_equal(u.n, 1);
	assert_string_equal(u.d.data, "{\"lead\":2}");
	assert_int_equal(record_delivered(s, &u.d, 200, 1100), LF_OK);
	lf_delivery_release(&u.d);

	/* a claim held past its time (its server gone) is claimed again, as the
	 * next attempt; the late record of the earlier one changes nothing */
	struct due first = { 0 }, again = { 0 };
	assert_int_equal(lf_store_outbox_claim(s, 5000, 6000, 10, take_due, &first, &err), LF_OK);
	assert_int_equal(first.n, 1);
	assert_int_equal(first.d.attempt, 2);
	assert_int_equal(lf_store_outbox_claim(s, 5999, 7000, 10, take_due, &none, &err), LF_OK);
	assert_int_equal(none.n, 0);
	assert_int_equal(lf_store_outbox_claim(s, 6000, 7000, 10, take_due, &again, &err), LF_OK);
	assert_int_equal(again.n, 1);
	assert_int_equal(again.d.id, first.d.id);
	assert_int_equal(again.d.attempt, 3);
	assert_int_equal(record_delivered(s, &first.d, 200, 6100), LF_OK);
	u = (struct due){ .want = first.d.id };
	assert_int_equal(lf_store_delivery_list(s, a.id, 10, take_due, &u, &err), LF_OK);
	assert_string_equal(u.d.status, "pending");   /* attempt 3 is still under way */
	assert_int_equal(u.d.attempt, 3);
	lf_delivery_release(&u.d);
	assert_int_equal(record_delivered(s, &again.d, 204, 6200), LF_OK);
	u = (struct due){ .want = first.d.id };
	assert_int_equal(lf_store_delivery_list(s, a.id, 10, take_due, &u, &err), LF_OK);
	assert_string_equal(u.d.status, "delivered");
	assert_int_equal(u.d.last_code, 204);
	lf_delivery_release(&u.d);
	lf_delivery_release(&first.d);
	lf_delivery_release(&again.d);

	/* one due delivery a subscription at a time, the oldest first */
	struct lf_webhook c = { .url = "http://c/", .secret = "k3", .types = "model.activated" };
	assert_int_equal(lf_store_webhook_insert(s, &c, &err), LF_OK);
	assert_int_equal(lf_store_outbox_add(s, "model.activated", 6000, "{\"v\":1}", &queued,
					     &err), LF_OK);
	assert_int_equal(queued, 2);             /* a and c */
	assert_int_equal(lf_store_outbox_add(s, "model.activated", 6001, "{\"v\":2}", &queued,
					     &err), LF_OK);
	struct due two = { 0 };
	assert_int_equal(lf_store_outbox_claim(s, 7000, 67000, 10, take_due, &two, &err), LF_OK);
	assert_int_equal(two.n, 2);              /* a's oldest due, c's oldest */
	lf_delivery_release(&two.d);
	two.n = 0;
	assert_int_equal(lf_store_outbox_claim(s, 7000, 67000, 10, take_due, &two, &err), LF_OK);
	assert_int_equal(two.n, 0);              /* both held */
	assert_int_equal(lf_store_webhook_delete(s, c.id, &err), LF_OK);

	assert_int_equal(lf_store_webhook_delete(s, a.id, &err), LF_OK);
	assert_int_equal(lf_store_webhook_delete(s, a.id, &err), LF_ERR_NOT_FOUND);
	assert_int_equal(lf_store_outbox_next(s, &next, &err), LF_OK);
	assert_int_equal(next, 0);               /* its pending delivery failed */
	assert_int_equal(lf_store_outbox_add(s, "lead.mql", 2000, "{}", &queued, &err), LF_OK);
	assert_int_equal(queued, 0);
	assert_int_equal(lf_store_audit(s, "admin", "token.create", "token:1", NULL, &err),
			 LF_OK);
}

struct work_seen { int n; struct lf_held_count h; double week; };

static enum lf_result take_held(void *ctx, const struct lf_held_count *h)
{
	struct work_seen *s = ctx;
	s->n++;
	s->h = *h;
	return LF_OK;
}

static enum lf_result take_minutes(void *ctx, int64_t rep, double minutes)
{
	(void)rep;
	((struct work_seen *)ctx)->week += minutes;
	return LF_OK;
}

static void test_reps_update_and_work(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_rep rep = { .name = "Ana", .team = "emea", .weekly_hours = 40, .max_active = 10 };
	struct lf_rep got = { 0 };
	int64_t lead = contract_lead(s, "W-1", "w1@example.com"), other = contract_lead(s, "W-2", NULL);
	struct lf_lead owned;
	struct lf_transition moves[] = {
		{ .lead_id = lead, .from = LF_STAGE_LEAD, .to = LF_STAGE_MQL, .actor = "gate", .at = 100 },
		{ .lead_id = lead, .from = LF_STAGE_MQL, .to = LF_STAGE_ASSIGNED, .actor = "gate",
		  .at = 200 },
		{ .lead_id = lead, .from = LF_STAGE_ASSIGNED, .to = LF_STAGE_OPPORTUNITY,
		  .actor = "ana", .at = 1000 },
		{ .lead_id = lead, .from = LF_STAGE_OPPORTUNITY, .to = LF_STAGE_WON, .actor = "ana",
		  .at = 5000 },
	};
	struct lf_touch t1 = { .key = "k1", .lead_id = lead, .kind = "call", .minutes = 30, .at = 500 };
	struct lf_touch t2 = { .key = "k2", .lead_id = lead, .kind = "call", .minutes = 45, .at = 2000 };
	struct work_seen seen = { 0 };
	bool ins;

	(void)other;
	assert_int_equal(lf_store_rep_insert(s, &rep, &err), LF_OK);
	rep.away_from = 10;
	rep.away_to = 20;
	rep.max_active = 12;
	assert_int_equal(lf_store_rep_update(s, &rep, &err), LF_OK);
	assert_int_equal(lf_store_rep_find(s, "Ana", &got, &err), LF_OK);
	assert_int_equal(got.max_active, 12);
	assert_int_equal(got.away_from, 10);
	assert_true(lf_rep_away_at(&got, 15) && !lf_rep_away_at(&got, 20));
	lf_rep_release(&got);
	rep.id = 999;
	assert_int_equal(lf_store_rep_update(s, &rep, &err), LF_ERR_NOT_FOUND);

	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
		assert_int_equal(lf_store_transition_append(s, &moves[i], &err), LF_OK);
	assert_int_equal(lf_store_lead_get(s, lead, &owned, &err), LF_OK);
	owned.owner_rep_id = rep.id == 999 ? 1 : rep.id;
	assert_int_equal(lf_store_lead_update(s, &owned, &err), LF_OK);
	lf_lead_release(&owned);
	t1.rep_id = t2.rep_id = 1;
	assert_int_equal(lf_store_touch_insert(s, &t1, &ins, &err), LF_OK);
	assert_int_equal(lf_store_touch_insert(s, &t2, &ins, &err), LF_OK);
	assert_int_equal(lf_store_held_load(s, take_held, &seen, &err), LF_OK);
	assert_int_equal(seen.n, 0);            /* at stage lead: not held */
	/* an open opportunity: held, with the 45 minutes logged since it opened */
	assert_int_equal(lf_store_lead_move(s, lead, LF_STAGE_OPPORTUNITY, 1, NULL,
					    1000, &err), LF_OK);
	assert_int_equal(lf_store_held_load(s, take_held, &seen, &err), LF_OK);
	assert_int_equal(seen.n, 1);
	assert_true(seen.h.rep_id == 1 && seen.h.opportunity &&
		    seen.h.logged == 45 && seen.h.n == 1);
	seen.n = 0;
	assert_int_equal(lf_store_lead_move(s, lead, LF_STAGE_WON, 1, NULL, 5000,
					    &err), LF_OK);
	assert_int_equal(lf_store_held_load(s, take_held, &seen, &err), LF_OK);
	assert_int_equal(seen.n, 0);            /* won: no longer held */
	assert_int_equal(lf_store_rep_minutes(s, 1000, take_minutes, &seen, &err), LF_OK);
	assert_true(seen.week == 45);
}

/* --- the reports' aggregates ------------------------------------------ */

struct agg_seen {
	int64_t leads, overridden, mql, period, rejects, rated, rating_sum, disq;
	int64_t total_42, handed, wait, minutes_band, touches, work_lead, rules;
};

static enum lf_result seen_path(void *ctx, const struct lf_path_count *p)
{
	struct agg_seen *a = ctx;
	a->leads += p->n;
	a->overridden += p->overridden ? p->n : 0;
	a->mql += (p->stages & LF_STAGE_BIT(LF_STAGE_MQL)) ? p->n : 0;
	return LF_OK;
}

static enum lf_result seen_period(void *ctx, const struct lf_path_count *p)
{
	((struct agg_seen *)ctx)->period += p->n;
	return LF_OK;
}

static enum lf_result seen_decision(void *ctx, const struct lf_decision_count *d)
{
	struct agg_seen *a = ctx;
	if (!strcmp(d->kind, "reject") && !strcmp(d->reason, "no_budget"))
		a->rejects += d->n;
	if (!strcmp(d->kind, "disqualify"))
		a->disq += d->n;
	a->rated += d->rated;
	a->rating_sum += d->rating_sum;
	return LF_OK;
}

static enum lf_result seen_signal(void *ctx, const struct lf_signal_count *c)
{
	struct agg_seen *a = ctx;
	if (c->signal == LF_SIGNAL_TOTAL && c->band == 42)
		a->total_42 += c->n;
	return LF_OK;
}

static enum lf_result seen_effort(void *ctx, const struct lf_effort_count *e)
{
	struct agg_seen *a = ctx;
	a->handed += e->n;
	a->wait = e->wait;
	a->minutes_band = e->minutes_band;
	a->touches += e->touches;
	return LF_OK;
}

static enum lf_result seen_rule(void *ctx, const struct lf_rule_count *c)
{
	struct agg_seen *a = ctx;
	a->rules += c->rule == 0 && !strcmp(c->kind, "reject") ? c->n : 0;
	return LF_OK;
}

static enum lf_result seen_work(void *ctx, const struct lf_work_count *w)
{
	struct agg_seen *a = ctx;
	if (w->kind == LF_WORK_LEAD && w->value == 20)
		a->work_lead += w->n;
	return LF_OK;
}

/*
 * What the reports read is kept by every write (lead, transition, touch,
 * score), filtered by a period whose edges are not a week's, equal to the
 * same recomputed by rebuild; the gate's wake-up moves with a hand-raiser.
 */
static void test_report_aggregates(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_rep rep = { .name = "Ana", .team = "emea", .weekly_hours = 40, .max_active = 10 };
	int64_t a = contract_lead(s, "G-1", "g1@example.com"), b = contract_lead(s, "G-2", NULL);
	const lf_time_ms t0 = 1700000000000, H = 3600000;  /* a Tuesday, 22:13 UTC */
	struct lf_lead late;
	struct lf_report_filter all = { 0 }, period = { .from = t0 + 12 * H };
	struct agg_seen seen = { 0 }, again = { 0 };
	int64_t wakes = -1, wakes2 = -1;
	bool ins;

	assert_int_equal(lf_store_rep_insert(s, &rep, &err), LF_OK);
	contract_make_lead(&late, "G-3", "g3@example.com");
	late.created_at = t0 + 10 * 24 * H;
	assert_int_equal(lf_store_lead_insert(s, &late, &err), LF_OK);
	lf_lead_release(&late);

	struct lf_transition moves[] = {
		{ .lead_id = a, .from = LF_STAGE_LEAD, .to = LF_STAGE_MQL, .actor = "gate", .at = t0 },
		{ .lead_id = a, .from = LF_STAGE_MQL, .to = LF_STAGE_ASSIGNED, .actor = "gate",
		  .at = t0 + H },
		{ .lead_id = a, .from = LF_STAGE_ASSIGNED, .to = LF_STAGE_RECYCLED, .actor = "ana",
		  .at = t0 + 5 * H, .reason = "no_budget", .rating = 2 },
		{ .lead_id = b, .from = LF_STAGE_LEAD, .to = LF_STAGE_DISQUALIFIED, .actor = "model",
		  .at = t0, .reason = "student" },
		{ .lead_id = b, .from = LF_STAGE_DISQUALIFIED, .to = LF_STAGE_LEAD, .actor = "ana",
		  .at = t0 + H, .reason = "override" },
	};
	struct lf_touch touch = { .key = "g-k1", .lead_id = a, .rep_id = rep.id, .kind = "call",
				  .minutes = 20, .at = t0 + 3 * H };
	struct lf_lead_score sc = { a, 12.5, 30, 42.5, 1, 0, 1 };

	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	/* the score (rule 0 fired) comes before the reject, as a model scores first */
	assert_int_equal(lf_store_lead_set_score(s, &sc, NULL, 0, &err), LF_OK);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(lf_store_transition_append(s, &moves[i], &err), LF_OK);
	assert_int_equal(lf_store_lead_move(s, a, LF_STAGE_RECYCLED, rep.id, NULL, t0 + 5 * H, &err),
			 LF_OK);
	assert_int_equal(lf_store_touch_insert(s, &touch, &ins, &err), LF_OK);
	for (size_t i = 3; i < 5; i++)
		assert_int_equal(lf_store_transition_append(s, &moves[i], &err), LF_OK);
	assert_int_equal(lf_store_commit(s, &err), LF_OK);

	assert_int_equal(lf_store_report_paths(s, &all, seen_path, &seen, &err), LF_OK);
	assert_int_equal(seen.leads, 3);
	assert_int_equal(seen.overridden, 1);   /* b: a rule's disqualification taken back */
	assert_int_equal(seen.mql, 1);
	/* from 12 h after t0 (not a week's start): only the late lead */
	assert_int_equal(lf_store_report_paths(s, &period, seen_period, &seen, &err), LF_OK);
	assert_int_equal(seen.period, 1);
	period.to = t0 + 12 * H;
	period.from = t0 - 12 * H;
	seen.period = 0;
	assert_int_equal(lf_store_report_paths(s, &period, seen_period, &seen, &err), LF_OK);
	assert_int_equal(seen.period, 2);
	assert_int_equal(lf_store_report_decisions(s, &all, seen_decision, &seen, &err), LF_OK);
	assert_int_equal(seen.rejects, 1);
	assert_int_equal(seen.disq, 1);
	assert_true(seen.rated == 1 && seen.rating_sum == 2);
	assert_int_equal(lf_store_report_signals(s, &all, seen_signal, &seen, &err), LF_OK);
	assert_int_equal(seen.total_42, 1);
	assert_int_equal(lf_store_report_efforts(s, &all, seen_effort, &seen, &err), LF_OK);
	assert_int_equal(seen.handed, 1);
	assert_int_equal(seen.wait, 20);         /* 2 h after the handoff, in tenths */
	assert_int_equal(seen.minutes_band, 1);  /* 15-60 minutes */
	assert_int_equal(seen.touches, 1);
	assert_int_equal(lf_store_report_rules(s, &all, 1, seen_rule, &seen, &err), LF_OK);
	assert_int_equal(seen.rules, 1);
	assert_int_equal(lf_store_work_counts(s, seen_work, &seen, &err), LF_OK);
	assert_int_equal(seen.work_lead, 1);     /* its assigned life over: 20 minutes */

	/* recomputed from scratch: the same */
	assert_int_equal(lf_store_aggregates_rebuild(s, &err), LF_OK);
	assert_int_equal(lf_store_report_paths(s, &all, seen_path, &again, &err), LF_OK);
	assert_int_equal(lf_store_report_decisions(s, &all, seen_decision, &again, &err), LF_OK);
	assert_int_equal(lf_store_report_efforts(s, &all, seen_effort, &again, &err), LF_OK);
	assert_true(again.leads == 3 && again.overridden == 1 && again.rejects == 1 &&
		    again.handed == 1 && again.wait == 20);

	/* a hand-raiser wakes the gate */
	assert_int_equal(lf_store_gate_wakes(s, &wakes, &err), LF_OK);
	sc = (struct lf_lead_score){ b, 0, 50, 50, 1, t0 + 2 * H, 0 };
	assert_int_equal(lf_store_lead_set_score(s, &sc, NULL, 0, &err), LF_OK);
	assert_int_equal(lf_store_gate_wakes(s, &wakes2, &err), LF_OK);
	assert_true(wakes2 > wakes);
}

struct fc_seen {
	int64_t qualified, qday[4], nq, won, decided, tenths, open, open_day, valued, bands;
	double value;
};

static enum lf_result seen_forecast(void *ctx, const struct lf_forecast_count *c)
{
	struct fc_seen *a = ctx;
	switch (c->part) {
	case LF_FORECAST_QUALIFIED:
		a->qualified += c->n;
		if (a->nq < 4)
			a->qday[a->nq++] = c->day;
		break;
	case LF_FORECAST_CLOSED:
		if (c->stage == LF_STAGE_SQL) {
			a->decided += c->n;
			a->won += c->won ? c->n : 0;
			a->tenths = c->tenths;
		}
		break;
	case LF_FORECAST_OPEN:
		if (c->stage == LF_STAGE_SQL) {
			a->open += c->n;
			a->open_day = c->day;
			a->valued += c->valued;
			a->value += c->value;
		}
		break;
	}
	return LF_OK;
}

static enum lf_result seen_band(void *ctx, int64_t band, int64_t n)
{
	(void)band;
	((struct fc_seen *)ctx)->bands += n;
	return LF_OK;
}

static enum lf_result seen_undated(void *ctx, const struct lf_transition *t)
{
	*(int *)ctx += t->undated;
	return LF_OK;
}

/*
 * The forecast's counts: a lead qualified on the day of its dated move, one
 * an import moved without a date on the day it was created, sales' own
 * never; a won deal's days from sql to its close; an open one by the day
 * it got there (not known: -1) with its close_value; the same after a
 * rebuild.
 */
static void test_report_forecast(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	const lf_time_ms t0 = 1700000000000, D = 86400000;
	int64_t a = contract_lead(s, "F-1", "f1@example.com");
	struct lf_lead b, c;
	struct lf_value v = { .type = LF_VAL_NUMBER, .num = 1000 };
	struct lf_report_filter all = { 0 };
	int undated = 0;

	contract_make_lead(&b, "F-2", "f2@example.com");
	b.created_at = t0 - 3 * D;
	assert_int_equal(lf_attrs_set(&b.attrs, LF_VALUE_FIELD, &v), LF_OK);
	assert_int_equal(lf_store_lead_insert(s, &b, &err), LF_OK);
	contract_make_lead(&c, "F-3", "f3@example.com");
	assert_int_equal(lf_set_str(&c.source, LF_SOURCE_SALES), LF_OK);
	assert_int_equal(lf_store_lead_insert(s, &c, &err), LF_OK);
	struct lf_transition moves[] = {
		{ .lead_id = a, .from = LF_STAGE_LEAD, .to = LF_STAGE_MQL, .actor = "gate",
		  .at = t0 + D },
		{ .lead_id = a, .from = LF_STAGE_MQL, .to = LF_STAGE_SQL, .actor = "ana",
		  .at = t0 + 2 * D },
		{ .lead_id = a, .from = LF_STAGE_SQL, .to = LF_STAGE_WON, .actor = "ana",
		  .at = t0 + 4 * D + D / 2 },
		{ .lead_id = b.id, .from = LF_STAGE_LEAD, .to = LF_STAGE_SQL, .actor = "import",
		  .at = t0 + 9 * D, .undated = true },
		{ .lead_id = c.id, .from = LF_STAGE_SQL, .to = LF_STAGE_OPPORTUNITY,
		  .actor = "ana", .at = t0 + D },
	};
	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
		assert_int_equal(lf_store_transition_append(s, &moves[i], &err), LF_OK);
	assert_int_equal(lf_store_lead_move(s, a, LF_STAGE_WON, 0, NULL, t0 + 4 * D, &err), LF_OK);
	assert_int_equal(lf_store_lead_move(s, b.id, LF_STAGE_SQL, 0, NULL, t0 + 9 * D, &err),
			 LF_OK);
	assert_int_equal(lf_store_lead_move(s, c.id, LF_STAGE_OPPORTUNITY, 0, NULL, t0 + D, &err),
			 LF_OK);
	assert_int_equal(lf_store_commit(s, &err), LF_OK);
	assert_int_equal(lf_store_transition_list(s, b.id, seen_undated, &undated, &err), LF_OK);
	assert_int_equal(undated, 1);

	for (int pass = 0; pass < 2; pass++) {
		struct fc_seen f = { 0 };
		assert_int_equal(lf_store_report_forecast(s, &all, NULL, seen_forecast, &f, &err),
				 LF_OK);
		/* a on the day of its move to mql, b (undated) on the day it was created */
		assert_true(f.qualified == 2 && f.nq == 2);
		assert_true((f.qday[0] == (t0 + D) / D && f.qday[1] == (t0 - 3 * D) / D) ||
			    (f.qday[1] == (t0 + D) / D && f.qday[0] == (t0 - 3 * D) / D));
		assert_true(f.decided == 1 && f.won == 1);
		assert_int_equal(f.tenths, 25);        /* sql to won: 2.5 days */
		assert_true(f.open == 1 && f.open_day == -1 && f.valued == 1 && f.value == 1000);
		assert_int_equal(lf_store_report_recent_scores(s, &all, t0, seen_band, &f, &err),
				 LF_OK);
		assert_int_equal(f.bands, 1);           /* a; b qualified before t0 */
		/* another value field reads the open leads: none has it */
		memset(&f, 0, sizeof(f));
		assert_int_equal(lf_store_report_forecast(s, &all, "amount", seen_forecast, &f, &err),
				 LF_OK);
		assert_true(f.open == 1 && f.valued == 0);
		assert_int_equal(lf_store_aggregates_rebuild(s, &err), LF_OK);
	}
	lf_lead_release(&b);
	lf_lead_release(&c);
}

int store_contract_run(const char *backend, store_factory f)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema_is_latest, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_lead_roundtrip, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_lead_find_and_update, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_lead_unique_keys, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_lead_list_and_counts, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_lead_set_score, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_score_state, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_update_while_listing, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_events_idempotent, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_events_in_one_go, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_answers, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_cdp_identities, contract_setup,
						contract_teardown),
		cmocka_unit_test_setup_teardown(test_spend, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_report_values, contract_setup,
						contract_teardown),
		cmocka_unit_test_setup_teardown(test_report_events, contract_setup,
						contract_teardown),
		cmocka_unit_test_setup_teardown(test_report_last_touch, contract_setup,
						contract_teardown),
		cmocka_unit_test_setup_teardown(test_answers_report_reads, contract_setup,
						contract_teardown),
		cmocka_unit_test_setup_teardown(test_leads_at, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_tiers_and_owners, contract_setup,
						contract_teardown),
		cmocka_unit_test_setup_teardown(test_handoff_outcomes, contract_setup,
						contract_teardown),
		cmocka_unit_test_setup_teardown(test_stage_stays, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_recycle_outcomes, contract_setup,
						contract_teardown),
		cmocka_unit_test_setup_teardown(test_event_list_order, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_scans_of_every_lead, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_reps_and_touches, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_transitions_append_only, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_models, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_truth, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_transaction_rollback, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_nested_transactions, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_lead_erase, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_tokens, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_sessions, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_webhooks_outbox, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_reps_update_and_work, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_report_aggregates, contract_setup, contract_teardown),
		cmocka_unit_test_setup_teardown(test_report_forecast, contract_setup, contract_teardown),
	};
	const struct CMUnitTest *sales;
	size_t n = sizeof(tests) / sizeof(tests[0]), m = contract_sales_tests(&sales);
	struct CMUnitTest *every = calloc(n + m, sizeof(*every));
	int failed;

	assert_non_null(every);
	memcpy(every, tests, sizeof(tests));
	memcpy(every + n, sales, m * sizeof(*sales));
	contract_use(f);
	failed = _cmocka_run_group_tests(backend, every, n + m, NULL, NULL);
	free(every);
	return failed;
}
