/*
 * gate.c - the gate report (SPEC 7): each change of the gate's threshold,
 * with the floor, sales' free slots, the leads left waiting and the leads
 * released by that run; --from/--to select the changes by time.
 */
#include <leadflow/report.h>

#include <stdio.h>

struct rows {
	struct lf_table *t;
	const struct lf_report_filter *f;
};

static enum lf_result add_mark(void *ctx, const struct lf_gate_mark *m)
{
	struct rows *x = ctx;
	char at[LF_TIME_STR_MAX], c[5][32];
	if ((x->f->from && m->at < x->f->from) || (x->f->to && m->at >= x->f->to))
		return LF_OK;
	lf_time_format(m->at, at);
	snprintf(c[0], 32, "%.1f", m->threshold);
	snprintf(c[1], 32, "%.1f", m->floor);
	snprintf(c[2], 32, "%lld", (long long)m->free_slots);
	snprintf(c[3], 32, "%lld", (long long)m->pool);
	snprintf(c[4], 32, "%lld", (long long)m->released);
	const char *row[6] = { at, c[0], c[1], c[2], c[3], c[4] };
	return lf_table_add(x->t, row);
}

enum lf_result lf_report_gate(struct lf_store *s, const struct lf_report_filter *f,
			      struct lf_table *out, struct lf_error *err)
{
	static const char *const headers[] = { "at", "threshold", "floor", "free_slots",
					       "waiting", "released" };
	struct rows x = { out, f };
	lf_table_init(out, 6, headers, 0x3Eu);
	return lf_store_gate_history(s, 0, add_mark, &x, err);
}
