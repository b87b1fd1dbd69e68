/*
 * demo.h - a synthetic but realistic B2B world: companies, reps, leads from
 * sources of different quality, months of events, touches, stage histories
 * with reasons and ratings, and outcomes drawn from a hidden truth in which
 * fit, engagement and the speed of the first touch all change the odds.
 *
 * The same options give the same world, byte for byte. The world goes into a
 * store (lf_demo_build) or into files (lf_demo_export) that `leadflow
 * import` reads back: leads.ndjson, events.ndjson, touches.ndjson, plus
 * reps.csv, transitions.ndjson and truth.csv for the record.
 */
#ifndef LEADFLOW_DEMO_H
#define LEADFLOW_DEMO_H

#include <leadflow/store.h>

struct lf_demo_options {
	int64_t leads;        /* how many leads, sales-sourced included */
	uint64_t seed;
	lf_time_ms end;       /* the world's "now"; 0 for 2026-11-01T00:00:00Z */
	int days;             /* history before end; 0 for 180 */
};

struct lf_demo_stats {
	int64_t leads, events, touches, transitions, reps;
};

/* Writes the world into s (one transaction). */
enum lf_result lf_demo_build(struct lf_store *s, const struct lf_demo_options *o,
			     struct lf_demo_stats *stats, struct lf_error *err);

/* Writes the world as files into dir (created when missing). */
enum lf_result lf_demo_export(const char *dir, const struct lf_demo_options *o,
			      struct lf_demo_stats *stats, struct lf_error *err);

#endif
