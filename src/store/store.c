/*
 * store.c - the generic side of the store: picks a backend from the target
 * string and forwards every call through the backend's operation table.
 */
#include "store/backend.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum lf_result lf_store_open(const char *target, struct lf_store **out,
			     struct lf_error *err)
{
	*out = NULL;
	if (!target || !*target)
		return lf_error_set(err, LF_ERR_USAGE, "no database given");
	if (!strncmp(target, "sqlite:", 7))
		return lf_sqlite_open(target + 7, out, err);
	if (!strncmp(target, "postgres://", 11) || !strncmp(target, "postgresql://", 13))
		return lf_pg_open(target, out, err);
	return lf_sqlite_open(target, out, err);
}

void lf_store_close(struct lf_store *s)
{
	if (s)
		s->ops->close(s);
}


const char *lf_store_backend(const struct lf_store *s)
{
	return s->ops->name;
}

bool lf_store_failure_spoils(const struct lf_store *s)
{
	return s->ops->failure_spoils;
}

int lf_store_schema_latest(const struct lf_store *s)
{
	return s->ops->schema_latest;
}

#define FORWARD(name, params, args)                                        \
	enum lf_result lf_store_##name params                              \
	{                                                                  \
		return s->ops->name args;                                  \
	}

FORWARD(migrate, (struct lf_store *s, struct lf_error *err), (s, err))
FORWARD(schema_version, (struct lf_store *s, int *v, struct lf_error *err), (s, v, err))
FORWARD(begin, (struct lf_store *s, struct lf_error *err), (s, err))
FORWARD(listen, (struct lf_store *s, bool *can, struct lf_error *err), (s, can, err))
FORWARD(await_wake, (struct lf_store *s, int timeout_ms, bool *woken, struct lf_error *err),
	(s, timeout_ms, woken, err))
FORWARD(commit, (struct lf_store *s, struct lf_error *err), (s, err))
FORWARD(lead_insert, (struct lf_store *s, struct lf_lead *l, struct lf_error *err),
	(s, l, err))
FORWARD(lead_update, (struct lf_store *s, const struct lf_lead *l, struct lf_error *err),
	(s, l, err))
FORWARD(lead_get, (struct lf_store *s, int64_t id, struct lf_lead *o, struct lf_error *err),
	(s, id, o, err))
FORWARD(lead_find, (struct lf_store *s, enum lf_lead_key k, const char *v,
		    struct lf_lead *o, struct lf_error *err), (s, k, v, o, err))
FORWARD(lead_list, (struct lf_store *s, const struct lf_lead_filter *f, lf_lead_fn fn,
		    void *ctx, struct lf_error *err), (s, f, fn, ctx, err))
FORWARD(lead_counts, (struct lf_store *s, lf_count_fn fn, void *ctx, struct lf_error *err),
	(s, fn, ctx, err))
FORWARD(lead_set_score, (struct lf_store *s, const struct lf_lead_score *sc,
			 const void *b, size_t n, struct lf_error *err), (s, sc, b, n, err))
FORWARD(lead_paths, (struct lf_store *s, const struct lf_report_filter *f, lf_path_fn fn,
		     void *ctx, struct lf_error *err), (s, f, fn, ctx, err))
FORWARD(report_paths, (struct lf_store *s, const struct lf_report_filter *f,
		       lf_path_count_fn fn, void *ctx, struct lf_error *err), (s, f, fn, ctx, err))
FORWARD(report_signals, (struct lf_store *s, const struct lf_report_filter *f,
			 lf_signal_count_fn fn, void *ctx, struct lf_error *err),
	(s, f, fn, ctx, err))
FORWARD(report_efforts, (struct lf_store *s, const struct lf_report_filter *f,
			 lf_effort_count_fn fn, void *ctx, struct lf_error *err),
	(s, f, fn, ctx, err))
FORWARD(report_decisions, (struct lf_store *s, const struct lf_report_filter *f,
			   lf_decision_count_fn fn, void *ctx, struct lf_error *err),
	(s, f, fn, ctx, err))
FORWARD(report_rules, (struct lf_store *s, const struct lf_report_filter *f, int version,
		       lf_rule_count_fn fn, void *ctx, struct lf_error *err),
	(s, f, version, fn, ctx, err))
FORWARD(report_forecast, (struct lf_store *s, const struct lf_report_filter *f,
			  const char *value_field, lf_forecast_count_fn fn, void *ctx,
			  struct lf_error *err), (s, f, value_field, fn, ctx, err))
FORWARD(report_recent_scores, (struct lf_store *s, const struct lf_report_filter *f,
			       lf_time_ms since, lf_band_count_fn fn, void *ctx,
			       struct lf_error *err), (s, f, since, fn, ctx, err))
FORWARD(aggregates_rebuild, (struct lf_store *s, struct lf_error *err), (s, err))
FORWARD(aggregates_pause, (struct lf_store *s, struct lf_error *err), (s, err))
FORWARD(scores_pause, (struct lf_store *s, struct lf_error *err), (s, err))
FORWARD(scores_resume, (struct lf_store *s, struct lf_error *err), (s, err))
FORWARD(gate_wakes, (struct lf_store *s, int64_t *n, struct lf_error *err), (s, n, err))
FORWARD(work_counts, (struct lf_store *s, lf_work_count_fn fn, void *ctx, struct lf_error *err),
	(s, fn, ctx, err))
FORWARD(rep_last_assigned, (struct lf_store *s, lf_rep_time_fn fn, void *ctx,
			    struct lf_error *err), (s, fn, ctx, err))
FORWARD(lead_get_scoring, (struct lf_store *s, int64_t id, struct lf_lead *o, void **b,
			   size_t *n, struct lf_error *err), (s, id, o, b, n, err))
FORWARD(answer_add, (struct lf_store *s, struct lf_answer *a, struct lf_error *err),
	(s, a, err))
FORWARD(answer_list, (struct lf_store *s, int64_t lead_id, lf_answer_fn fn, void *ctx,
		      struct lf_error *err), (s, lead_id, fn, ctx, err))
FORWARD(answer_firsts, (struct lf_store *s, lf_first_answer_fn fn, void *ctx,
			struct lf_error *err), (s, fn, ctx, err))
FORWARD(leads_entered, (struct lf_store *s, enum lf_stage entered, lf_time_ms since,
			lf_entered_fn fn, void *ctx, struct lf_error *err),
	(s, entered, since, fn, ctx, err))
FORWARD(recycle_outcomes, (struct lf_store *s, lf_time_ms from, lf_time_ms to,
			   lf_recycle_count_fn fn, void *ctx, struct lf_error *err),
	(s, from, to, fn, ctx, err))
FORWARD(leads_at, (struct lf_store *s, enum lf_stage stage, lf_time_ms entered_by,
		   lf_entered_fn fn, void *ctx, struct lf_error *err),
	(s, stage, entered_by, fn, ctx, err))
FORWARD(spend_put, (struct lf_store *s, const struct lf_spend *sp, bool add, bool *inserted,
		    bool *changed, struct lf_error *err), (s, sp, add, inserted, changed, err))
FORWARD(spend_sum, (struct lf_store *s, lf_time_ms from, lf_time_ms to, lf_spend_fn fn,
		    void *ctx, struct lf_error *err), (s, from, to, fn, ctx, err))
FORWARD(report_values, (struct lf_store *s, const struct lf_report_filter *f,
			lf_value_count_fn fn, void *ctx, struct lf_error *err), (s, f, fn, ctx, err))
FORWARD(report_last_touch, (struct lf_store *s, const struct lf_report_filter *f,
			    lf_touch_count_fn fn, void *ctx, struct lf_error *err),
	(s, f, fn, ctx, err))
FORWARD(report_events, (struct lf_store *s, const struct lf_report_filter *f,
			lf_event_count_fn fn, void *ctx, struct lf_error *err), (s, f, fn, ctx, err))
FORWARD(cdp_identity, (struct lf_store *s, const char *anonymous_id, int64_t *lead_id,
		       struct lf_error *err), (s, anonymous_id, lead_id, err))
FORWARD(cdp_link, (struct lf_store *s, const char *anonymous_id, int64_t lead_id, lf_time_ms at,
		   struct lf_error *err), (s, anonymous_id, lead_id, at, err))
FORWARD(cdp_hold, (struct lf_store *s, const char *message_id, const char *anonymous_id,
		   lf_time_ms received_at, const char *message, bool *kept,
		   struct lf_error *err), (s, message_id, anonymous_id, received_at, message, kept,
					   err))
FORWARD(cdp_take, (struct lf_store *s, const char *anonymous_id, lf_cdp_held_fn fn, void *ctx,
		   struct lf_error *err), (s, anonymous_id, fn, ctx, err))
FORWARD(stage_stays, (struct lf_store *s, enum lf_stage stage, lf_time_ms from, lf_time_ms to,
		      lf_time_ms min_ms, lf_time_ms now, lf_stage_stay_fn fn, void *ctx,
		      struct lf_error *err),
	(s, stage, from, to, min_ms, now, fn, ctx, err))
FORWARD(handoff_outcomes, (struct lf_store *s, lf_time_ms from, lf_time_ms to,
			   lf_handoff_count_fn fn, void *ctx, struct lf_error *err),
	(s, from, to, fn, ctx, err))
FORWARD(sqls_unhanded, (struct lf_store *s, lf_entered_fn fn, void *ctx, struct lf_error *err),
	(s, fn, ctx, err))
FORWARD(event_insert_many, (struct lf_store *s, const struct lf_event *e, size_t n,
			    bool *inserted, struct lf_error *err), (s, e, n, inserted, err))
FORWARD(event_insert, (struct lf_store *s, const struct lf_event *e, bool *ins,
		       struct lf_error *err), (s, e, ins, err))
FORWARD(event_get, (struct lf_store *s, const char *id, struct lf_event *o,
		    struct lf_error *err), (s, id, o, err))
FORWARD(event_list, (struct lf_store *s, int64_t lead, lf_event_fn fn, void *ctx,
		     struct lf_error *err), (s, lead, fn, ctx, err))
FORWARD(touch_insert, (struct lf_store *s, struct lf_touch *t, bool *ins,
		       struct lf_error *err), (s, t, ins, err))
FORWARD(touch_list, (struct lf_store *s, int64_t lead, lf_touch_fn fn, void *ctx,
		     struct lf_error *err), (s, lead, fn, ctx, err))
FORWARD(transition_append, (struct lf_store *s, struct lf_transition *t,
			    struct lf_error *err), (s, t, err))
FORWARD(transition_list, (struct lf_store *s, int64_t lead, lf_transition_fn fn,
			  void *ctx, struct lf_error *err), (s, lead, fn, ctx, err))
FORWARD(rep_insert, (struct lf_store *s, struct lf_rep *r, struct lf_error *err),
	(s, r, err))
FORWARD(rep_find, (struct lf_store *s, const char *name, struct lf_rep *o,
		   struct lf_error *err), (s, name, o, err))
FORWARD(lead_field_present, (struct lf_store *s, const char *name, bool attribute,
			     bool *present, struct lf_error *err), (s, name, attribute, present, err))
FORWARD(rep_get, (struct lf_store *s, int64_t id, struct lf_rep *o,
		  struct lf_error *err), (s, id, o, err))
FORWARD(rep_list, (struct lf_store *s, lf_rep_fn fn, void *ctx, struct lf_error *err),
	(s, fn, ctx, err))
FORWARD(model_add, (struct lf_store *s, struct lf_model *m, struct lf_error *err),
	(s, m, err))
FORWARD(model_get, (struct lf_store *s, int v, struct lf_model *o, struct lf_error *err),
	(s, v, o, err))
FORWARD(model_list, (struct lf_store *s, lf_model_fn fn, void *ctx, struct lf_error *err),
	(s, fn, ctx, err))
FORWARD(model_set_status, (struct lf_store *s, int v, const char *st,
			   struct lf_error *err), (s, v, st, err))
FORWARD(truth_put, (struct lf_store *s, int64_t lead, double a, double b,
		    struct lf_error *err), (s, lead, a, b, err))
FORWARD(truth_get, (struct lf_store *s, int64_t lead, double *a, double *b,
		    struct lf_error *err), (s, lead, a, b, err))

FORWARD(lead_erase, (struct lf_store *s, int64_t id, const char *actor, int64_t *ev,
		    int64_t *to, struct lf_error *err), (s, id, actor, ev, to, err))
FORWARD(audit, (struct lf_store *s, const char *actor, const char *action,
		const char *subject, const char *detail, struct lf_error *err),
	(s, actor, action, subject, detail, err))
FORWARD(token_insert, (struct lf_store *s, struct lf_token *t, struct lf_error *err),
	(s, t, err))
FORWARD(token_get, (struct lf_store *s, int64_t id, struct lf_token *o, struct lf_error *err),
	(s, id, o, err))
FORWARD(token_list, (struct lf_store *s, lf_token_fn fn, void *ctx, struct lf_error *err),
	(s, fn, ctx, err))
FORWARD(token_revoke, (struct lf_store *s, int64_t id, lf_time_ms at, struct lf_error *err),
	(s, id, at, err))
FORWARD(session_insert, (struct lf_store *s, struct lf_session *x, struct lf_error *err),
	(s, x, err))
FORWARD(session_get, (struct lf_store *s, int64_t id, struct lf_session *o,
		      struct lf_error *err), (s, id, o, err))
FORWARD(session_end, (struct lf_store *s, int64_t id, lf_time_ms at, struct lf_error *err),
	(s, id, at, err))
FORWARD(webhook_insert, (struct lf_store *s, struct lf_webhook *w, struct lf_error *err),
	(s, w, err))
FORWARD(webhook_list, (struct lf_store *s, lf_webhook_fn fn, void *ctx,
		       struct lf_error *err), (s, fn, ctx, err))
FORWARD(webhook_delete, (struct lf_store *s, int64_t id, struct lf_error *err), (s, id, err))
FORWARD(outbox_add, (struct lf_store *s, const char *type, lf_time_ms at, const char *data,
		     int *queued, struct lf_error *err), (s, type, at, data, queued, err))
FORWARD(outbox_claim, (struct lf_store *s, lf_time_ms now, lf_time_ms hold_until, int limit,
		       lf_delivery_fn fn, void *ctx, struct lf_error *err),
	(s, now, hold_until, limit, fn, ctx, err))
FORWARD(outbox_next, (struct lf_store *s, lf_time_ms *next, struct lf_error *err),
	(s, next, err))
FORWARD(outbox_attempt, (struct lf_store *s, const struct lf_delivery *d, lf_time_ms at,
			 struct lf_error *err), (s, d, at, err))
FORWARD(delivery_list, (struct lf_store *s, int64_t id, int limit, lf_delivery_fn fn,
			void *ctx, struct lf_error *err), (s, id, limit, fn, ctx, err))

FORWARD(autocheckpoint, (struct lf_store *s, int64_t log_bound, struct lf_error *err),
	(s, log_bound, err))
FORWARD(lazy_commits, (struct lf_store *s, struct lf_error *err), (s, err))
FORWARD(lease, (struct lf_store *s, const char *name, const char *holder, lf_time_ms now,
		lf_time_ms ttl_ms, bool *held, struct lf_error *err),
	(s, name, holder, now, ttl_ms, held, err))
FORWARD(set_lock_wait, (struct lf_store *s, int64_t ms, struct lf_error *err), (s, ms, err))
FORWARD(checkpoint, (struct lf_store *s, int *frames, struct lf_error *err), (s, frames, err))
FORWARD(log_length, (struct lf_store *s, int64_t *bytes, struct lf_error *err), (s, bytes, err))
FORWARD(log_file, (struct lf_store *s, char **path, struct lf_error *err), (s, path, err))

struct lf_log_sync {
	int fd;
};

enum lf_result lf_store_log_sync(struct lf_store *s, struct lf_log_sync **out,
				 struct lf_error *err)
{
	char *path = NULL;
	enum lf_result r = lf_store_log_file(s, &path, err);
	*out = NULL;
	if (r)
		return r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = lf_error_set(err, LF_ERR_IO, "cannot open '%s' to sync it: %s", path,
				 lf_errno_str(errno));
		free(path);
		return r;
	}
	free(path);
	if (!(*out = malloc(sizeof(**out)))) {
		close(fd);
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	}
	(*out)->fd = fd;
	/* only now: a handle whose commits stop syncing has the sync in hand */
	if ((r = lf_store_lazy_commits(s, err))) {
		lf_log_sync_close(*out);
		*out = NULL;
	}
	return r;
}

enum lf_result lf_log_sync_run(struct lf_log_sync *ls, struct lf_error *err)
{
	if (fdatasync(ls->fd))
		return lf_error_set(err, LF_ERR_IO, "cannot sync the write-ahead log: %s",
				    lf_errno_str(errno));
	return LF_OK;
}

void lf_log_sync_close(struct lf_log_sync *ls)
{
	if (!ls)
		return;
	close(ls->fd);
	free(ls);
}

FORWARD(rep_update, (struct lf_store *s, const struct lf_rep *r, struct lf_error *err),
	(s, r, err))
FORWARD(held_load, (struct lf_store *s, lf_held_count_fn fn, void *ctx, struct lf_error *err),
	(s, fn, ctx, err))
FORWARD(rep_minutes, (struct lf_store *s, lf_time_ms since, lf_rep_minutes_fn fn, void *ctx,
		      struct lf_error *err), (s, since, fn, ctx, err))

FORWARD(gate_candidates, (struct lf_store *s, double floor, lf_candidate_fn fn, void *ctx,
			  struct lf_error *err), (s, floor, fn, ctx, err))
FORWARD(lead_move, (struct lf_store *s, int64_t id, enum lf_stage st, int64_t owner,
		    const char *queue, lf_time_ms at, struct lf_error *err),
	(s, id, st, owner, queue, at, err))
FORWARD(routing_put, (struct lf_store *s, const char *text, const char *actor, int *v,
		      struct lf_error *err), (s, text, actor, v, err))
FORWARD(routing_get, (struct lf_store *s, int *v, char **text, struct lf_error *err),
	(s, v, text, err))
FORWARD(gate_record, (struct lf_store *s, const struct lf_gate_mark *m, struct lf_error *err),
	(s, m, err))
FORWARD(gate_history, (struct lf_store *s, int limit, lf_gate_mark_fn fn, void *ctx,
		       struct lf_error *err), (s, limit, fn, ctx, err))

FORWARD(webhook_wants, (struct lf_store *s, const char *type, bool *wants,
			struct lf_error *err), (s, type, wants, err))

FORWARD(assignment_add, (struct lf_store *s, struct lf_assignment *a, struct lf_error *err),
	(s, a, err))
FORWARD(assignment_update, (struct lf_store *s, const struct lf_assignment *a,
			    struct lf_error *err), (s, a, err))
FORWARD(assignments, (struct lf_store *s, bool open_only, lf_assignment_fn fn, void *ctx,
		      struct lf_error *err), (s, open_only, fn, ctx, err))

FORWARD(approval_add, (struct lf_store *s, const struct lf_approval *a, struct lf_error *err),
	(s, a, err))
FORWARD(approval_list, (struct lf_store *s, int v, lf_approval_fn fn, void *ctx,
			struct lf_error *err), (s, v, fn, ctx, err))

void lf_store_rollback(struct lf_store *s)
{
	s->ops->rollback(s);
}
