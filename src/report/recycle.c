/*
 * recycle.c - the recycle report: what became of the leads sent back to
 * marketing, by who sent them (each of the model's recycle rules, or reps'
 * own rejections) and reason: how many came back to lead on new
 * engagement, reached sql afterwards, were won afterwards. A rule that
 * throws back leads that go on to convert, where reps' rejections with the
 * same reason do not, is one to loosen.
 */
#include <leadflow/report.h>

#include <stdio.h>
#include <string.h>

static void pct(char *c, int64_t part, int64_t whole)
{
	if (whole)
		snprintf(c, 32, "%.1f", 100.0 * (double)part / (double)whole);
	else
		c[0] = 0;
}

static enum lf_result add_row(void *ctx, const struct lf_recycle_count *k)
{
	static const char prefix[] = "recycle rule '";
	char by[256], c[7][32];
	const char *note = k->note ? k->note : "";

	if (!k->by_rule)
		snprintf(by, sizeof(by), "reps");
	else if (!strncmp(note, prefix, sizeof(prefix) - 1))
		snprintf(by, sizeof(by), "rule: %.*s", (int)(strlen(note) - sizeof(prefix)),
			 note + sizeof(prefix) - 1);
	else
		snprintf(by, sizeof(by), "rule");
	snprintf(c[0], 32, "%lld", (long long)k->n);
	snprintf(c[1], 32, "%lld", (long long)k->back);
	pct(c[2], k->back, k->n);
	snprintf(c[3], 32, "%lld", (long long)k->sql);
	pct(c[4], k->sql, k->n);
	snprintf(c[5], 32, "%lld", (long long)k->won);
	pct(c[6], k->won, k->n);
	const char *row[9] = { by, k->reason ? k->reason : "", c[0], c[1], c[2], c[3], c[4],
			       c[5], c[6] };
	return lf_table_add(ctx, row);
}

enum lf_result lf_report_recycle(struct lf_store *s, const struct lf_report_filter *f,
				 struct lf_table *out, struct lf_error *err)
{
	static const char *const headers[] = { "by", "reason", "recycled", "came_back",
					       "came_back_pct", "reached_sql_after", "sql_pct",
					       "won_after", "won_pct" };
	enum lf_result r;
	lf_table_init(out, 9, headers, 0x1FCu);
	r = lf_store_recycle_outcomes(s, f->from, f->to, add_row, out, err);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	return r;
}
