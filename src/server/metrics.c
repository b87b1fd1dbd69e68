/*
 * metrics.c - counters and their Prometheus rendering (see metrics.h).
 */
#include "server/metrics.h"

#include "server/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const int statuses[] = { 200, 201, 204, 400, 401, 403, 404, 405, 409, 413,
				415, 422, 429, 431, 500, 503 };
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))
#define OTHER NSTATUS

static const double buckets[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
				  0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct lf_metrics {
	size_t nroutes;                 /* lf_route_count + 1 (no route) */
	atomic_uint_fast64_t *req;      /* [nroutes][NSTATUS + 1] */
	atomic_uint_fast64_t hist[NBUCKETS + 1];
	atomic_uint_fast64_t sum_us, count;
};

struct lf_metrics *lf_metrics_new(void)
{
	struct lf_metrics *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->nroutes = lf_route_count + 1;
	m->req = calloc(m->nroutes * (NSTATUS + 1), sizeof(*m->req));
	if (!m->req) {
		free(m);
		return NULL;
	}
	return m;
}

void lf_metrics_free(struct lf_metrics *m)
{
	if (!m)
		return;
	free(m->req);
	free(m);
}

void lf_metrics_observe(struct lf_metrics *m, int route, int status, double seconds)
{
	size_t r = route < 0 ? lf_route_count : (size_t)route, s = OTHER, b = 0;
	for (size_t i = 0; i < NSTATUS; i++)
		if (statuses[i] == status)
			s = i;
	while (b < NBUCKETS && seconds > buckets[b])
		b++;
	atomic_fetch_add_explicit(&m->req[r * (NSTATUS + 1) + s], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->hist[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->sum_us, (uint64_t)(seconds * 1e6), memory_order_relaxed);
	atomic_fetch_add_explicit(&m->count, 1, memory_order_relaxed);
}

struct stage_counts { int64_t n[LF_STAGE_COUNT]; };

static enum lf_result add_count(void *ctx, enum lf_stage stage, const char *source,
				int64_t n)
{
	struct stage_counts *c = ctx;
	(void)source;
	if ((int)stage >= 0 && stage < LF_STAGE_COUNT)
		c->n[stage] += n;
	return LF_OK;
}

static long resident_bytes(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return rss * sysconf(_SC_PAGESIZE);
}

enum lf_result lf_metrics_render(struct lf_metrics *m, struct lf_store *s,
				 const struct lf_metrics_gauges *g, struct lf_buf *out,
				 struct lf_error *err)
{
	struct stage_counts c = { { 0 } };
	uint64_t cumulative = 0;
	enum lf_result r;

	if ((r = lf_store_lead_counts(s, add_count, &c, err)))
		return r;
	lf_buf_adds(out, "# HELP leadflow_http_requests_total HTTP requests answered, by route"
			 " and status.\n# TYPE leadflow_http_requests_total counter\n");
	for (size_t i = 0; i < m->nroutes; i++)
		for (size_t j = 0; j <= NSTATUS; j++) {
			uint64_t n = atomic_load(&m->req[i * (NSTATUS + 1) + j]);
			char status[8];
			if (!n)
				continue;
			if (j == OTHER)
				snprintf(status, sizeof(status), "other");
			else
				snprintf(status, sizeof(status), "%d", statuses[j]);
			lf_buf_addf(out, "leadflow_http_requests_total{route=\"%s\",status=\"%s\"}"
					 " %llu\n", i < lf_route_count ? lf_routes[i].name : "none",
				    status, (unsigned long long)n);
		}
	lf_buf_adds(out, "# HELP leadflow_http_request_duration_seconds Time from a request's"
			 " first byte to its answer.\n"
			 "# TYPE leadflow_http_request_duration_seconds histogram\n");
	for (size_t b = 0; b <= NBUCKETS; b++) {
		cumulative += atomic_load(&m->hist[b]);
		if (b < NBUCKETS)
			lf_buf_addf(out, "leadflow_http_request_duration_seconds_bucket{le=\"%g\"}"
					 " %llu\n", buckets[b], (unsigned long long)cumulative);
		else
			lf_buf_addf(out, "leadflow_http_request_duration_seconds_bucket{le=\"+Inf\"}"
					 " %llu\n", (unsigned long long)cumulative);
	}
	lf_buf_addf(out, "leadflow_http_request_duration_seconds_sum %.6f\n"
			 "leadflow_http_request_duration_seconds_count %llu\n",
		    (double)atomic_load(&m->sum_us) / 1e6,
		    (unsigned long long)atomic_load(&m->count));
	lf_buf_addf(out, "# HELP leadflow_events_ingested_total Events written through the API.\n"
			 "# TYPE leadflow_events_ingested_total counter\n"
			 "leadflow_events_ingested_total %llu\n",
		    (unsigned long long)g->writer.events);
	lf_buf_adds(out, "# HELP leadflow_leads Leads stored, by stage.\n"
			 "# TYPE leadflow_leads gauge\n");
	for (int i = 0; i < LF_STAGE_COUNT; i++)
		lf_buf_addf(out, "leadflow_leads{stage=\"%s\"} %lld\n",
			    lf_stage_name((enum lf_stage)i), (long long)c.n[i]);
	lf_buf_addf(out, "# HELP leadflow_write_queue_depth Writes waiting for the writer.\n"
			 "# TYPE leadflow_write_queue_depth gauge\n"
			 "leadflow_write_queue_depth %zu\n"
			 "# HELP leadflow_write_groups_total Transactions committed by the writer.\n"
			 "# TYPE leadflow_write_groups_total counter\n"
			 "leadflow_write_groups_total %llu\n"
			 "# HELP leadflow_writes_total Writes run by the writer.\n"
			 "# TYPE leadflow_writes_total counter\n"
			 "leadflow_writes_total %llu\n"
			 "# HELP leadflow_write_commit_failures_total Group commits that failed.\n"
			 "# TYPE leadflow_write_commit_failures_total counter\n"
			 "leadflow_write_commit_failures_total %llu\n",
		    g->queue_depth, (unsigned long long)g->writer.groups,
		    (unsigned long long)g->writer.jobs,
		    (unsigned long long)g->writer.failed_commits);
	lf_buf_addf(out, "# HELP leadflow_webhook_deliveries_total Webhook delivery attempts, by"
			 " result.\n# TYPE leadflow_webhook_deliveries_total counter\n"
			 "leadflow_webhook_deliveries_total{result=\"ok\"} %llu\n"
			 "leadflow_webhook_deliveries_total{result=\"error\"} %llu\n",
		    (unsigned long long)g->deliveries_ok,
		    (unsigned long long)g->deliveries_failed);
	if (lf_buf_addf(out, "# HELP leadflow_resident_memory_bytes Resident memory of the"
			     " process.\n# TYPE leadflow_resident_memory_bytes gauge\n"
			     "leadflow_resident_memory_bytes %ld\n", resident_bytes()))
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	return LF_OK;
}
