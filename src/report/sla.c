/*
 * sla.c - the SLA report: speed to lead by rep and by priority (normal,
 * hand-raiser): assignments, first touches in time, breaches,
 * reassignments, compliance, and the median minutes to the first touch.
 */
#include <leadflow/report.h>
#include "core/grow.h"

#include "core/stats.h"
#include "report/rep_names.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bucket {
	int64_t rep_id;           /* 0: every rep */
	int priority;             /* 0 normal, 1 hand-raiser, 2 both */
	int64_t n, met, breached, reassigned, open;
	struct lf_doubles minutes;
};

struct acc {
	struct bucket *b;
	size_t n, cap;
	lf_time_ms now;
};

static struct bucket *bucket(struct acc *a, int64_t rep, int priority)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->b[i].rep_id == rep && a->b[i].priority == priority)
			return &a->b[i];
	if (LF_GROW(a->b, a->n, a->cap, 32))
		return NULL;
	a->b[a->n] = (struct bucket){ .rep_id = rep, .priority = priority };
	return &a->b[a->n++];
}

static enum lf_result count(struct bucket *b, const struct lf_assignment *x, lf_time_ms now)
{
	b->n++;
	if (x->first_touch_at && x->first_touch_at <= x->due_at)
		b->met++;
	else if (x->breached_at || (!x->first_touch_at && now >= x->due_at) ||
		 x->first_touch_at > x->due_at)
		b->breached++;
	else
		b->open++;
	b->reassigned += x->reassigned_at != 0;
	if (x->first_touch_at)
		return lf_doubles_push(&b->minutes, (double)(x->first_touch_at - x->at) / 60000.0);
	return LF_OK;
}

static enum lf_result add(void *ctx, const struct lf_assignment *x)
{
	struct acc *a = ctx;
	int64_t reps[2] = { x->rep_id, 0 };
	int pris[2] = { x->hand_raiser ? 1 : 0, 2 };
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++) {
			struct bucket *b = bucket(a, reps[i], pris[j]);
			enum lf_result r;
			if (!b || (r = count(b, x, a->now)))
				return LF_ERR_NOMEM;
		}
	return LF_OK;
}

static int by_rep(const void *x, const void *y)
{
	const struct bucket *a = x, *b = y;
	if ((a->rep_id == 0) != (b->rep_id == 0))
		return a->rep_id == 0 ? 1 : -1;
	if (a->rep_id != b->rep_id)
		return a->rep_id < b->rep_id ? -1 : 1;
	return a->priority - b->priority;
}

enum lf_result lf_report_sla(struct lf_store *s, const struct lf_report_filter *f,
			     struct lf_table *out, struct lf_error *err)
{
	static const char *const headers[] = { "rep", "priority", "assignments", "in_time",
					       "breached", "open", "reassigned", "compliance_pct",
					       "median_minutes_to_touch" };
	static const char *const pri[] = { "normal", "hand-raiser", "all" };
	struct acc a = { .now = lf_time_now() };
	struct lf_rep_names names = { 0 };
	enum lf_result r;
	(void)f;

	lf_table_init(out, 9, headers, 0x1FCu);
	r = lf_store_assignments(s, false, add, &a, err);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	if (!r && a.n)
		qsort(a.b, a.n, sizeof(*a.b), by_rep);
	/* the reps' names, read once for every row */
	if (!r)
		r = lf_rep_names_load(s, &names, err);
	for (size_t i = 0; i < a.n && !r; i++) {
		struct bucket *b = &a.b[i];
		const char *name = b->rep_id ? lf_rep_names_get(&names, b->rep_id) : NULL;
		char c[7][32];
		snprintf(c[0], 32, "%lld", (long long)b->n);
		snprintf(c[1], 32, "%lld", (long long)b->met);
		snprintf(c[2], 32, "%lld", (long long)b->breached);
		snprintf(c[3], 32, "%lld", (long long)b->open);
		snprintf(c[4], 32, "%lld", (long long)b->reassigned);
		if (b->met + b->breached)
			snprintf(c[5], 32, "%.1f", 100.0 * (double)b->met / (double)(b->met + b->breached));
		else
			c[5][0] = 0;
		c[6][0] = 0;
		if (b->minutes.n)
			snprintf(c[6], 32, "%.1f", lf_doubles_median(&b->minutes));
		const char *row[9] = { name ? name : "(every rep)", pri[b->priority], c[0], c[1], c[2], c[3], c[4], c[5],
				       c[6] };
		r = lf_table_add(out, row);
	}
	for (size_t i = 0; i < a.n; i++)
		lf_doubles_release(&a.b[i].minutes);
	free(a.b);
	lf_rep_names_release(&names);
	return r;
}
