/*
 * store_contract_sales.c - the store contract's cases for what sales and the
 * server's clocks use (store_contract.h): reps listed and their latest
 * assignment, the gate's candidates, routing versions and threshold marks,
 * SLA assignments, model approvals, webhook subscriptions, the leads' paths,
 * the pauses of bulk writes, leases, and the write-ahead log's upkeep.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_contract.h"

#include <stdlib.h>
#include <string.h>

static int64_t add_rep(struct lf_store *s, const char *name)
{
	struct lf_rep r = { .name = (char *)name, .team = "emea", .weekly_hours = 40,
			    .max_active = 10 };
	struct lf_error err;
	assert_int_equal(lf_store_rep_insert(s, &r, &err), LF_OK);
	return r.id;
}

/* Moves lead id from stage `from` to `to` as a rep's or the gate's action would. */
static void move(struct lf_store *s, int64_t id, enum lf_stage from, enum lf_stage to,
		 int64_t owner, lf_time_ms at)
{
	struct lf_transition t = { .lead_id = id, .from = from, .to = to, .actor = "gate",
				   .at = at };
	struct lf_error err;
	assert_int_equal(lf_store_transition_append(s, &t, &err), LF_OK);
	assert_int_equal(lf_store_lead_move(s, id, to, owner, NULL, at, &err), LF_OK);
}

struct names { int n; char seen[4][16]; int64_t ids[4]; lf_time_ms at[4]; };

static enum lf_result take_rep(void *ctx, const struct lf_rep *r)
{
	struct names *n = ctx;
	if (n->n < 4) {
		strncpy(n->seen[n->n], r->name, sizeof(n->seen[0]) - 1);
		n->ids[n->n] = r->id;
	}
	n->n++;
	return LF_OK;
}

static enum lf_result take_last(void *ctx, int64_t rep_id, lf_time_ms at)
{
	struct names *n = ctx;
	if (n->n < 4) {
		n->ids[n->n] = rep_id;
		n->at[n->n] = at;
	}
	n->n++;
	return LF_OK;
}

/* Reps in the order added; each rep's latest lead by its first assignment. */
static void test_rep_list_and_last_assigned(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct names reps = { 0 }, last = { 0 };
	int64_t maya = add_rep(s, "Maya"), omar = add_rep(s, "Omar");
	int64_t a = contract_lead(s, "R-1", "r1@example.com");
	int64_t b = contract_lead(s, "R-2", "r2@example.com");

	assert_int_equal(lf_store_rep_list(s, take_rep, &reps, &err), LF_OK);
	assert_int_equal(reps.n, 2);
	assert_string_equal(reps.seen[0], "Maya");
	assert_string_equal(reps.seen[1], "Omar");
	assert_true(reps.ids[0] == maya && reps.ids[1] == omar);

	move(s, a, LF_STAGE_LEAD, LF_STAGE_ASSIGNED, maya, 1000);
	move(s, b, LF_STAGE_LEAD, LF_STAGE_ASSIGNED, maya, 3000);
	move(s, b, LF_STAGE_ASSIGNED, LF_STAGE_SAL, maya, 4000);  /* not a new assignment */
	assert_int_equal(lf_store_rep_last_assigned(s, take_last, &last, &err), LF_OK);
	assert_int_equal(last.n, 2);
	for (int i = 0; i < 2; i++)
		assert_int_equal(last.at[i], last.ids[i] == maya ? 3000 : 0);
}

struct cands { int n; int64_t ids[8]; size_t state_len[8]; };

static enum lf_result take_candidate(void *ctx, const struct lf_lead *l, const void *state,
				     size_t len)
{
	struct cands *c = ctx;
	assert_true(c->n < 8);
	c->ids[c->n] = l->id;
	c->state_len[c->n++] = state ? len : 0;
	return LF_OK;
}

static bool has(const struct cands *c, int64_t id, size_t *len)
{
	for (int i = 0; i < c->n; i++)
		if (c->ids[i] == id) {
			if (len)
				*len = c->state_len[i];
			return true;
		}
	return false;
}

/* The pool without a queue, leads at the floor, and hand-raisers under it. */
static void test_gate_candidates(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct cands c = { 0 };
	const unsigned char st[3] = { 7, 0, 7 };
	int64_t above = contract_lead(s, "C-1", "c1@example.com");
	int64_t hand = contract_lead(s, "C-2", "c2@example.com");
	int64_t below = contract_lead(s, "C-3", "c3@example.com");
	int64_t pool = contract_lead(s, "C-4", "c4@example.com");
	int64_t queued = contract_lead(s, "C-5", "c5@example.com");
	int64_t sql = contract_lead(s, "C-6", "c6@example.com");
	struct lf_lead_score sc[] = {
		{ above, 30, 30, 60, 1, 0, 0 }, { hand, 5, 5, 10, 1, 500, 0 },
		{ below, 5, 5, 10, 1, 0, 0 },   { sql, 50, 40, 90, 1, 0, 0 },
	};
	size_t len = 0;

	assert_int_equal(lf_store_lead_set_score(s, &sc[0], st, sizeof(st), &err), LF_OK);
	for (size_t i = 1; i < 4; i++)
		assert_int_equal(lf_store_lead_set_score(s, &sc[i], NULL, 0, &err), LF_OK);
	assert_int_equal(lf_store_lead_move(s, pool, LF_STAGE_MQL, 0, NULL, 10, &err), LF_OK);
	assert_int_equal(lf_store_lead_move(s, queued, LF_STAGE_MQL, 0, "manager", 10, &err),
			 LF_OK);
	assert_int_equal(lf_store_lead_move(s, sql, LF_STAGE_SQL, 0, NULL, 10, &err), LF_OK);

	assert_int_equal(lf_store_gate_candidates(s, 50, take_candidate, &c, &err), LF_OK);
	assert_int_equal(c.n, 3);
	assert_true(has(&c, above, &len) && len == sizeof(st)); /* with its engine state */
	assert_true(has(&c, hand, &len) && len == 0);
	assert_true(has(&c, pool, NULL));
	assert_false(has(&c, below, NULL) || has(&c, queued, NULL) || has(&c, sql, NULL));
}

/* Every routing version kept, the newest in force. */
static void test_routing_versions(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int version = -1;
	char *text = NULL;

	assert_int_equal(lf_store_routing_get(s, &version, &text, &err), LF_ERR_NOT_FOUND);
	assert_int_equal(lf_store_routing_put(s, "rules: []\n", "ops", &version, &err), LF_OK);
	assert_int_equal(version, 1);
	assert_int_equal(lf_store_routing_put(s, "rules:\n  - pool: emea\n", "ops", &version,
					      &err), LF_OK);
	assert_int_equal(version, 2);
	assert_int_equal(lf_store_routing_get(s, &version, &text, &err), LF_OK);
	assert_int_equal(version, 2);
	assert_string_equal(text, "rules:\n  - pool: emea\n");
	free(text);
}

struct marks { int n; lf_time_ms at[4]; double threshold[4]; };

static enum lf_result take_mark(void *ctx, const struct lf_gate_mark *m)
{
	struct marks *k = ctx;
	k->at[k->n] = m->at;
	k->threshold[k->n++] = m->threshold;
	return k->n < 4 ? LF_OK : LF_ERR_NOT_FOUND;
}

static enum lf_result first_mark_only(void *ctx, const struct lf_gate_mark *m)
{
	*(lf_time_ms *)ctx = m->at;
	return LF_ERR_NOT_FOUND;   /* a reader that has seen enough stops the list */
}

/* Threshold marks, newest first, at most limit (0: all); a callback may stop the list. */
static void test_gate_marks(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct marks all = { 0 }, two = { 0 };
	lf_time_ms first = 0;

	for (int i = 1; i <= 3; i++) {
		struct lf_gate_mark m = { i * 1000, 50 + i, 50, 10 - i, 4, i };
		assert_int_equal(lf_store_gate_record(s, &m, &err), LF_OK);
	}
	assert_int_equal(lf_store_gate_history(s, 0, take_mark, &all, &err), LF_OK);
	assert_int_equal(all.n, 3);
	assert_true(all.at[0] == 3000 && all.at[2] == 1000 && all.threshold[0] == 53);
	assert_int_equal(lf_store_gate_history(s, 2, take_mark, &two, &err), LF_OK);
	assert_int_equal(two.n, 2);
	assert_int_equal(two.at[1], 2000);
	assert_int_equal(lf_store_gate_history(s, 0, first_mark_only, &first, &err),
			 LF_ERR_NOT_FOUND);
	assert_int_equal(first, 3000);
}

struct clocks { int n; struct lf_assignment a[4]; };

static enum lf_result take_assignment(void *ctx, const struct lf_assignment *a)
{
	struct clocks *c = ctx;
	if (c->n < 4)
		c->a[c->n] = *a;
	c->n++;
	return LF_OK;
}

/* SLA clocks: an open one's first touch is its lead's first touch since it. */
static void test_assignments(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t rep = add_rep(s, "Ana");
	int64_t lead = contract_lead(s, "A-1", "a1@example.com");
	struct lf_assignment a = { .lead_id = lead, .rep_id = rep, .at = 1000,
				   .hand_raiser = true, .due_at = 2000, .reassign_at = 5000 };
	struct lf_assignment b = { .lead_id = lead, .rep_id = rep, .at = 9000,
				   .due_at = 9500, .reassign_at = 12000 };
	struct lf_touch before = { .key = "sla-0", .lead_id = lead, .rep_id = rep,
				   .kind = "call", .minutes = 5, .at = 500 };
	struct lf_touch first = { .key = "sla-1", .lead_id = lead, .rep_id = rep,
				  .kind = "call", .minutes = 5, .at = 1500 };
	struct clocks open = { 0 }, all = { 0 };
	bool ins;

	assert_int_equal(lf_store_assignment_add(s, &a, &err), LF_OK);
	assert_true(a.id > 0);
	assert_int_equal(lf_store_touch_insert(s, &before, &ins, &err), LF_OK);
	assert_int_equal(lf_store_assignments(s, true, take_assignment, &open, &err), LF_OK);
	assert_int_equal(open.n, 1);
	assert_true(open.a[0].hand_raiser && open.a[0].due_at == 2000 &&
		    open.a[0].reassign_at == 5000);
	assert_int_equal(open.a[0].first_touch_at, 0);   /* the touch before does not count */

	assert_int_equal(lf_store_touch_insert(s, &first, &ins, &err), LF_OK);
	open.n = 0;
	assert_int_equal(lf_store_assignments(s, true, take_assignment, &open, &err), LF_OK);
	assert_int_equal(open.a[0].first_touch_at, 1500);

	a.first_touch_at = 1500;
	a.closed = true;
	assert_int_equal(lf_store_assignment_update(s, &a, &err), LF_OK);
	assert_int_equal(lf_store_assignment_add(s, &b, &err), LF_OK);
	assert_true(b.id > a.id);
	open.n = 0;
	assert_int_equal(lf_store_assignments(s, true, take_assignment, &open, &err), LF_OK);
	assert_int_equal(open.n, 1);
	assert_int_equal(open.a[0].id, b.id);
	assert_int_equal(lf_store_assignments(s, false, take_assignment, &all, &err), LF_OK);
	assert_int_equal(all.n, 2);                       /* oldest first */
	assert_true(all.a[0].id == a.id && all.a[0].closed && all.a[0].first_touch_at == 1500);
	assert_true(all.a[1].id == b.id && !all.a[1].closed && all.a[1].first_touch_at == 0);

	b.breached_at = 9600;
	b.reassigned_at = 12100;
	b.closed = true;
	assert_int_equal(lf_store_assignment_update(s, &b, &err), LF_OK);
	all.n = 0;
	assert_int_equal(lf_store_assignments(s, false, take_assignment, &all, &err), LF_OK);
	assert_true(all.a[1].breached_at == 9600 && all.a[1].reassigned_at == 12100);
}

struct approvals { int n; char role[4][16]; };

static enum lf_result take_approval(void *ctx, const struct lf_approval *a)
{
	struct approvals *p = ctx;
	if (p->n < 4)
		strncpy(p->role[p->n], a->role, sizeof(p->role[0]) - 1);
	p->n++;
	return LF_OK;
}

/* One approval per version and token, in the order given. */
static void test_approvals(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_model m = { .name = "default", .text = "name: default\n" };
	struct lf_token mk = { .name = "mk", .role = "marketing", .hash = "01" };
	struct lf_token sm = { .name = "sm", .role = "sales_manager", .hash = "02" };
	struct approvals v1 = { 0 }, v2 = { 0 };

	assert_int_equal(lf_store_model_add(s, &m, &err), LF_OK);
	free(m.status);
	assert_int_equal(lf_store_token_insert(s, &mk, &err), LF_OK);
	assert_int_equal(lf_store_token_insert(s, &sm, &err), LF_OK);
	struct lf_approval a = { 1, mk.id, "mk", "marketing", 100 };
	struct lf_approval b = { 1, sm.id, "sm", "sales_manager", 200 };
	assert_int_equal(lf_store_approval_add(s, &a, &err), LF_OK);
	assert_int_equal(lf_store_approval_add(s, &a, &err), LF_ERR_CONFLICT);
	assert_int_equal(lf_store_approval_add(s, &b, &err), LF_OK);
	assert_int_equal(lf_store_approval_list(s, 1, take_approval, &v1, &err), LF_OK);
	assert_int_equal(v1.n, 2);
	assert_string_equal(v1.role[0], "marketing");
	assert_string_equal(v1.role[1], "sales_manager");
	assert_int_equal(lf_store_approval_list(s, 2, take_approval, &v2, &err), LF_OK);
	assert_int_equal(v2.n, 0);
}

static enum lf_result take_hook(void *ctx, const struct lf_webhook *w)
{
	struct names *n = ctx;
	if (n->n < 4)
		strncpy(n->seen[n->n], w->url, sizeof(n->seen[0]) - 1);
	n->n++;
	return LF_OK;
}

/* Live subscriptions listed; whether any takes a type, whole names only. */
static void test_webhook_list_and_wants(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_webhook a = { .url = "http://a/", .secret = "k1",
				.types = "lead.mql, model.activated" };
	struct lf_webhook b = { .url = "http://b/", .secret = "k2", .types = "lead.assigned" };
	struct names hooks = { 0 };
	bool wants = true;

	assert_int_equal(lf_store_webhook_wants(s, "lead.mql", &wants, &err), LF_OK);
	assert_false(wants);
	assert_int_equal(lf_store_webhook_insert(s, &a, &err), LF_OK);
	assert_int_equal(lf_store_webhook_insert(s, &b, &err), LF_OK);
	assert_int_equal(lf_store_webhook_wants(s, "model.activated", &wants, &err), LF_OK);
	assert_true(wants);
	assert_int_equal(lf_store_webhook_wants(s, "lead.mq", &wants, &err), LF_OK);
	assert_false(wants);
	assert_int_equal(lf_store_webhook_list(s, take_hook, &hooks, &err), LF_OK);
	assert_int_equal(hooks.n, 2);
	assert_string_equal(hooks.seen[0], "http://a/");
	assert_int_equal(lf_store_webhook_delete(s, a.id, &err), LF_OK);
	assert_int_equal(lf_store_webhook_wants(s, "lead.mql", &wants, &err), LF_OK);
	assert_false(wants);
	hooks.n = 0;
	assert_int_equal(lf_store_webhook_list(s, take_hook, &hooks, &err), LF_OK);
	assert_int_equal(hooks.n, 1);
	assert_string_equal(hooks.seen[0], "http://b/");
}

struct paths { int n; struct lf_lead_path p; char source[16]; };

static enum lf_result take_path(void *ctx, const struct lf_lead_path *p)
{
	struct paths *k = ctx;
	k->p = *p;
	strncpy(k->source, p->source ? p->source : "", sizeof(k->source) - 1);
	k->p.source = NULL;   /* borrowed for the call only */
	k->n++;
	return LF_OK;
}

/* Each selected lead: every stage it reached, where it is, its first rating. */
static void test_lead_paths(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t rep = add_rep(s, "Ana");
	int64_t id = contract_lead(s, "P-1", "p1@example.com");
	struct lf_transition rated = { .lead_id = id, .from = LF_STAGE_ASSIGNED,
				       .to = LF_STAGE_SAL, .actor = "ana", .at = 3000, .rating = 4 };
	struct lf_transition later = { .lead_id = id, .from = LF_STAGE_SAL, .to = LF_STAGE_SQL,
				       .actor = "ana", .at = 4000, .rating = 2 };
	struct lf_report_filter all = { 0 }, other = { .source = "fair" };
	struct paths got = { 0 }, none = { 0 };

	move(s, id, LF_STAGE_LEAD, LF_STAGE_MQL, 0, 1000);
	move(s, id, LF_STAGE_MQL, LF_STAGE_ASSIGNED, rep, 2000);
	assert_int_equal(lf_store_transition_append(s, &rated, &err), LF_OK);
	assert_int_equal(lf_store_transition_append(s, &later, &err), LF_OK);
	assert_int_equal(lf_store_lead_move(s, id, LF_STAGE_SQL, rep, NULL, 4000, &err), LF_OK);

	assert_int_equal(lf_store_lead_paths(s, &all, take_path, &got, &err), LF_OK);
	assert_int_equal(got.n, 1);
	assert_string_equal(got.source, "webinar");
	assert_int_equal(got.p.stage, LF_STAGE_SQL);
	unsigned want = LF_STAGE_BIT(LF_STAGE_MQL) | LF_STAGE_BIT(LF_STAGE_ASSIGNED) |
			LF_STAGE_BIT(LF_STAGE_SAL) | LF_STAGE_BIT(LF_STAGE_SQL);
	assert_int_equal(got.p.stages & want, want);
	assert_int_equal(got.p.rating, 4);               /* the first rating given */
	assert_int_equal(lf_store_lead_paths(s, &other, take_path, &none, &err), LF_OK);
	assert_int_equal(none.n, 0);
}

static enum lf_result count_paths(void *ctx, const struct lf_path_count *p)
{
	*(int64_t *)ctx += p->n;
	return LF_OK;
}

static int64_t counted(struct lf_store *s)
{
	struct lf_report_filter all = { 0 };
	struct lf_error err;
	int64_t n = 0;
	assert_int_equal(lf_store_report_paths(s, &all, count_paths, &n, &err), LF_OK);
	return n;
}

/*
 * A bulk write pauses the aggregates and rebuilds them before its commit;
 * a rollback leaves them kept as before. Scores paused in a transaction
 * wake the gate once, at the resume.
 */
static void test_bulk_pauses(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int64_t before = -1, during = -1, after = -1;

	contract_lead(s, "B-1", "b1@example.com");
	assert_int_equal(counted(s), 1);
	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	assert_int_equal(lf_store_aggregates_pause(s, &err), LF_OK);
	contract_lead(s, "B-2", "b2@example.com");
	assert_int_equal(lf_store_aggregates_rebuild(s, &err), LF_OK);
	assert_int_equal(lf_store_commit(s, &err), LF_OK);
	assert_int_equal(counted(s), 2);
	contract_lead(s, "B-3", "b3@example.com");       /* kept change by change again */
	assert_int_equal(counted(s), 3);

	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	assert_int_equal(lf_store_aggregates_pause(s, &err), LF_OK);
	lf_store_rollback(s);
	contract_lead(s, "B-4", "b4@example.com");
	assert_int_equal(counted(s), 4);

	int64_t id = contract_lead(s, "B-5", "b5@example.com");
	struct lf_lead_score sc = { id, 10, 10, 20, 1, 777, 0 };  /* a hand-raiser */
	assert_int_equal(lf_store_gate_wakes(s, &before, &err), LF_OK);
	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	assert_int_equal(lf_store_scores_pause(s, &err), LF_OK);
	assert_int_equal(lf_store_lead_set_score(s, &sc, NULL, 0, &err), LF_OK);
	assert_int_equal(lf_store_gate_wakes(s, &during, &err), LF_OK);
	assert_int_equal(during, before);
	assert_int_equal(lf_store_scores_resume(s, &err), LF_OK);
	assert_int_equal(lf_store_commit(s, &err), LF_OK);
	assert_int_equal(lf_store_gate_wakes(s, &after, &err), LF_OK);
	assert_true(after > before);
}

/* One holder at a time; renewed by its holder, taken over once it runs out. */
static void test_leases(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	bool held = false;

	assert_int_equal(lf_store_lease(s, "clocks", "a", 1000, 5000, &held, &err), LF_OK);
	assert_true(held);
	assert_int_equal(lf_store_lease(s, "clocks", "b", 2000, 5000, &held, &err), LF_OK);
	assert_false(held);
	assert_int_equal(lf_store_lease(s, "other", "b", 2000, 5000, &held, &err), LF_OK);
	assert_true(held);                             /* another name, another lease */
	assert_int_equal(lf_store_lease(s, "clocks", "a", 3000, 5000, &held, &err), LF_OK);
	assert_true(held);                             /* renewed: until 8000 */
	assert_int_equal(lf_store_lease(s, "clocks", "b", 7999, 5000, &held, &err), LF_OK);
	assert_false(held);
	assert_int_equal(lf_store_lease(s, "clocks", "b", 8000, 5000, &held, &err), LF_OK);
	assert_true(held);                             /* a's ran out: b takes over */
	assert_int_equal(lf_store_lease(s, "clocks", "a", 8001, 5000, &held, &err), LF_OK);
	assert_false(held);
	assert_int_equal(lf_store_lease(s, "clocks", "b", 9000, 0, &held, &err), LF_OK);
	assert_true(held);                             /* given up: runs out at once */
	assert_int_equal(lf_store_lease(s, "clocks", "a", 9000, 5000, &held, &err), LF_OK);
	assert_true(held);
}

/*
 * Wake-ups: a backend that has them (PostgreSQL) wakes a listening handle
 * after a commit that may let the gate release a lead (a rep added) or
 * that queues a delivery, once however many commits came (it is "look
 * now", not a message); one that has not (SQLite) says so, and a wait
 * there returns at once.
 */
static void test_wake_ups(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	struct lf_rep rep = { .name = "Wanda", .weekly_hours = 40, .max_active = 10 };
	struct lf_webhook w = { .url = "http://w/", .secret = "k", .types = "lead.mql" };
	bool can = true, woken = true;
	int queued;

	assert_int_equal(lf_store_listen(s, &can, &err), LF_OK);
	assert_int_equal(lf_store_await_wake(s, 0, &woken, &err), LF_OK);
	assert_false(woken);                           /* nothing happened yet */
	if (!can)
		return;
	assert_int_equal(lf_store_rep_insert(s, &rep, &err), LF_OK);
	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	assert_int_equal(lf_store_rep_update(s, &rep, &err), LF_OK);
	assert_int_equal(lf_store_commit(s, &err), LF_OK);
	assert_int_equal(lf_store_await_wake(s, 5000, &woken, &err), LF_OK);
	assert_true(woken);
	assert_int_equal(lf_store_await_wake(s, 0, &woken, &err), LF_OK);
	assert_false(woken);                           /* both commits: one wake-up */
	/* a write rolled back wakes nobody */
	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	assert_int_equal(lf_store_rep_update(s, &rep, &err), LF_OK);
	lf_store_rollback(s);
	assert_int_equal(lf_store_await_wake(s, 100, &woken, &err), LF_OK);
	assert_false(woken);
	/* a delivery queued */
	assert_int_equal(lf_store_webhook_insert(s, &w, &err), LF_OK);
	assert_int_equal(lf_store_outbox_add(s, "lead.mql", 1000, "{}", &queued, &err), LF_OK);
	assert_int_equal(queued, 1);
	assert_int_equal(lf_store_await_wake(s, 5000, &woken, &err), LF_OK);
	assert_true(woken);
}

/* The log's upkeep: answers on every backend (without a log: no frames). */
static void test_log_upkeep(void **state)
{
	struct lf_store *s = *state;
	struct lf_error err;
	int left = -1;
	int64_t bytes = -1;

	assert_int_equal(lf_store_set_lock_wait(s, 100, &err), LF_OK);
	assert_int_equal(lf_store_autocheckpoint(s, 1 << 20, &err), LF_OK);
	contract_lead(s, "W-1", "w1@example.com");
	/* the log's length after the commit: some frames (SQLite), or none */
	assert_int_equal(lf_store_log_length(s, &bytes, &err), LF_OK);
	assert_true(bytes >= 0);
	assert_int_equal(lf_store_checkpoint(s, &left, &err), LF_OK);
	assert_int_equal(left, 0);   /* nobody else writes: all of it copied */
	assert_int_equal(lf_store_checkpoint(s, NULL, &err), LF_OK);
	assert_int_equal(lf_store_autocheckpoint(s, 0, &err), LF_OK);
	assert_int_equal(lf_store_log_length(s, &bytes, &err), LF_OK);
	assert_int_equal(bytes, 0);   /* not followed with automatic checkpoints */
	assert_int_equal(lf_store_set_lock_wait(s, -1, &err), LF_OK);

	/* the log synced apart from the commits (SQLite), or commits that sync
	 * themselves (PostgreSQL: NOT_FOUND, and nothing to close) */
	char *path = NULL;
	struct lf_log_sync *ls = NULL;
	enum lf_result r = lf_store_log_file(s, &path, &err);
	if (r == LF_OK) {
		size_t n = strlen(path);
		assert_true(n > 4 && !strcmp(path + n - 4, "-wal"));
		free(path);
		assert_int_equal(lf_store_log_sync(s, &ls, &err), LF_OK);
		contract_lead(s, "W-2", "w2@example.com");   /* a commit that did not sync */
		assert_int_equal(lf_log_sync_run(ls, &err), LF_OK);
		lf_log_sync_close(ls);
	} else {
		assert_int_equal(r, LF_ERR_NOT_FOUND);
		assert_null(path);
		assert_int_equal(lf_store_log_sync(s, &ls, &err), LF_ERR_NOT_FOUND);
		assert_null(ls);
	}
}

static const struct CMUnitTest cases[] = {
	cmocka_unit_test_setup_teardown(test_rep_list_and_last_assigned, contract_setup,
					contract_teardown),
	cmocka_unit_test_setup_teardown(test_gate_candidates, contract_setup, contract_teardown),
	cmocka_unit_test_setup_teardown(test_routing_versions, contract_setup, contract_teardown),
	cmocka_unit_test_setup_teardown(test_gate_marks, contract_setup, contract_teardown),
	cmocka_unit_test_setup_teardown(test_assignments, contract_setup, contract_teardown),
	cmocka_unit_test_setup_teardown(test_approvals, contract_setup, contract_teardown),
	cmocka_unit_test_setup_teardown(test_webhook_list_and_wants, contract_setup,
					contract_teardown),
	cmocka_unit_test_setup_teardown(test_lead_paths, contract_setup, contract_teardown),
	cmocka_unit_test_setup_teardown(test_bulk_pauses, contract_setup, contract_teardown),
	cmocka_unit_test_setup_teardown(test_leases, contract_setup, contract_teardown),
	cmocka_unit_test_setup_teardown(test_wake_ups, contract_setup, contract_teardown),
	cmocka_unit_test_setup_teardown(test_log_upkeep, contract_setup, contract_teardown),
};

size_t contract_sales_tests(const struct CMUnitTest **out)
{
	*out = cases;
	return sizeof(cases) / sizeof(cases[0]);
}
