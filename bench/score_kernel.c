/*
 * score_kernel.c - SPEC 10 "score kernel, in memory: >= 2M events/s on one
 * core". Feeds 1M demo-like events (100k leads, types and URLs as the demo
 * world draws them) through the engine with models/default.yaml, one lead
 * state at a time, and reads each lead's engagement. The baseline, run in
 * the same process on the same events: the bare decay arithmetic (one
 * exp2 and one add per event), what any exact decayed score must pay.
 *
 * usage: bench_score_kernel MODEL.yaml [EVENTS]
 */
#include <leadflow/time.h>
#include "core/rng.h"
#include "score/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

struct ev {
	int type;
	lf_time_ms at;
	struct lf_attrs props;
};

int main(int argc, char **argv)
{
	static const char *const types[] = { "page_view", "email_open", "email_click",
					     "download", "webinar", "form_submit",
					     "unsubscribe", "demo_request" };
	static const double type_w[] = { 40, 25, 10, 6, 3, 3, 1, 1 };
	static const char *const pages[] = { "/", "/product", "/pricing", "/blog/a",
					     "/case-studies/x", "/docs/api",
					     "/integrations", "/security" };
	struct lf_model_def m;
	struct lf_buf problems = LF_BUF_INIT(1 << 16), text = LF_BUF_INIT(1 << 22);
	struct lf_error err;
	struct lf_rng rng;
	struct lf_lead lead;
	size_t n = argc > 2 ? (size_t)atol(argv[2]) : 1000000, per_lead = 10;
	struct ev *evs;
	double t0, t1, t2, sink = 0, base_sink = 0;
	lf_time_ms end = INT64_C(1793491200000); /* 2026-11-01 */
	char chunk[4096];
	size_t got;
	FILE *f;

	if (argc < 2 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: bench_score_kernel MODEL.yaml [EVENTS]\n");
		return 2;
	}
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		lf_buf_add(&text, chunk, got);
	fclose(f);
	if (lf_model_parse(argv[1], lf_buf_str(&text), &m, &problems, &err)) {
		fprintf(stderr, "%s", lf_buf_str(&problems));
		return 2;
	}
	lf_rng_seed(&rng, 1);
	evs = calloc(n, sizeof(*evs));
	for (size_t i = 0; i < n; i++) {
		struct lf_value url = { .type = LF_VAL_STRING };
		evs[i].type = (int)lf_rng_weighted(&rng, type_w, 8);
		evs[i].at = end - (lf_time_ms)(lf_rng_uniform(&rng) * 180 * LF_MS_PER_DAY);
		lf_attrs_init(&evs[i].props);
		if (evs[i].type == 0) {
			url.str = (char *)pages[lf_rng_below(&rng, 8)];
			lf_attrs_set(&evs[i].props, "url", &url);
		}
	}
	lf_lead_init(&lead);

	/* the baseline: decay arithmetic alone */
	t0 = lf_clock_seconds();
	for (size_t i = 0; i < n; i += per_lead) {
		double s = 0;
		for (size_t j = i; j < i + per_lead && j < n; j++)
			s += exp2(-(double)(end - evs[j].at) / (30.0 * LF_MS_PER_DAY));
		base_sink += s;
	}
	t1 = lf_clock_seconds();
	/* the kernel: every rule, regexes included, one state per lead */
	for (size_t i = 0; i < n; i += per_lead) {
		struct lf_score_state st;
		lf_score_state_init(&st, &m);
		for (size_t j = i; j < i + per_lead && j < n; j++)
			lf_score_add_event(&st, &lead, types[evs[j].type], evs[j].at,
					   &evs[j].props);
		sink += lf_score_engagement(&st, end);
		lf_score_state_release(&st);
	}
	t2 = lf_clock_seconds();
	printf("score kernel, in memory, one core: %zu events, %zu per lead, model '%s' "
	       "(%zu engagement rules)\n", n, per_lead, m.name, m.nengagement);
	printf("  kernel:   %12.0f events/s   (target >= 2000000)\n", (double)n / (t2 - t1));
	printf("  baseline: %12.0f events/s   (the decay arithmetic alone)\n",
	       (double)n / (t1 - t0));
	printf("  (checksums %.3f %.3f)\n", sink, base_sink);
	for (size_t i = 0; i < n; i++)
		lf_attrs_release(&evs[i].props);
	free(evs);
	lf_model_def_release(&m);
	lf_buf_release(&problems);
	lf_buf_release(&text);
	return 0;
}
