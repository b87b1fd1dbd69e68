/*
 * metrics.h - the server's counters, rendered in Prometheus' text format
 * at /metrics: requests by route and status, a latency histogram, events
 * ingested, leads by stage, the write queue, webhook deliveries, memory.
 */
#ifndef LF_SERVER_METRICS_H
#define LF_SERVER_METRICS_H

#include <leadflow/buf.h>
#include "server/writer.h"

#include <stdatomic.h>

struct lf_metrics;

struct lf_metrics *lf_metrics_new(void);
void lf_metrics_free(struct lf_metrics *m);
/* One request answered: route is an index in lf_routes, or -1 for none. */
void lf_metrics_observe(struct lf_metrics *m, int route, int status, double seconds);

struct lf_metrics_gauges {
	size_t queue_depth;
	struct lf_writer_stats writer;
	uint64_t deliveries_ok, deliveries_failed;
};
/* Renders everything into out; lead counts are read from s. */
enum lf_result lf_metrics_render(struct lf_metrics *m, struct lf_store *s,
				 const struct lf_metrics_gauges *g, struct lf_buf *out,
				 struct lf_error *err);

#endif
