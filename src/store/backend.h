/*
 * backend.h - what a storage backend provides: a table of operations, and
 * a struct lf_store embedded first in the backend's own handle so that the
 * generic functions of store.c can dispatch through it.
 */
#ifndef LF_STORE_BACKEND_H
#define LF_STORE_BACKEND_H

#include <leadflow/store.h>

struct lf_store_ops {
	const char *name;
	int schema_latest;     /* the schema version its migrations reach */
	bool failure_spoils;   /* a failed statement spoils its transaction (PostgreSQL) */
	void (*close)(struct lf_store *s);
	enum lf_result (*migrate)(struct lf_store *, struct lf_error *);
	enum lf_result (*schema_version)(struct lf_store *, int *, struct lf_error *);
	enum lf_result (*begin)(struct lf_store *, struct lf_error *);
	enum lf_result (*commit)(struct lf_store *, struct lf_error *);
	void (*rollback)(struct lf_store *);

	enum lf_result (*lead_insert)(struct lf_store *, struct lf_lead *, struct lf_error *);
	enum lf_result (*lead_update)(struct lf_store *, const struct lf_lead *, struct lf_error *);
	enum lf_result (*lead_get)(struct lf_store *, int64_t, struct lf_lead *, struct lf_error *);
	enum lf_result (*lead_find)(struct lf_store *, enum lf_lead_key, const char *,
				    struct lf_lead *, struct lf_error *);
	enum lf_result (*lead_list)(struct lf_store *, const struct lf_lead_filter *,
				    lf_lead_fn, void *, struct lf_error *);
	enum lf_result (*lead_counts)(struct lf_store *, lf_count_fn, void *, struct lf_error *);
	enum lf_result (*lead_set_score)(struct lf_store *, const struct lf_lead_score *,
					 const void *, size_t, struct lf_error *);
	enum lf_result (*lead_paths)(struct lf_store *, const struct lf_report_filter *,
				     lf_path_fn, void *, struct lf_error *);
	enum lf_result (*report_paths)(struct lf_store *, const struct lf_report_filter *,
				       lf_path_count_fn, void *, struct lf_error *);
	enum lf_result (*report_signals)(struct lf_store *, const struct lf_report_filter *,
					 lf_signal_count_fn, void *, struct lf_error *);
	enum lf_result (*report_efforts)(struct lf_store *, const struct lf_report_filter *,
					 lf_effort_count_fn, void *, struct lf_error *);
	enum lf_result (*report_decisions)(struct lf_store *, const struct lf_report_filter *,
					   lf_decision_count_fn, void *, struct lf_error *);
	enum lf_result (*report_rules)(struct lf_store *, const struct lf_report_filter *, int,
				       lf_rule_count_fn, void *, struct lf_error *);
	enum lf_result (*report_forecast)(struct lf_store *, const struct lf_report_filter *,
					  const char *, lf_forecast_count_fn, void *,
					  struct lf_error *);
	enum lf_result (*report_recent_scores)(struct lf_store *, const struct lf_report_filter *,
					       lf_time_ms, lf_band_count_fn, void *,
					       struct lf_error *);
	enum lf_result (*aggregates_rebuild)(struct lf_store *, struct lf_error *);
	enum lf_result (*aggregates_pause)(struct lf_store *, struct lf_error *);
	enum lf_result (*scores_pause)(struct lf_store *, struct lf_error *);
	enum lf_result (*scores_resume)(struct lf_store *, struct lf_error *);
	enum lf_result (*gate_wakes)(struct lf_store *, int64_t *, struct lf_error *);
	enum lf_result (*work_counts)(struct lf_store *, lf_work_count_fn, void *,
				      struct lf_error *);
	enum lf_result (*rep_last_assigned)(struct lf_store *, lf_rep_time_fn, void *,
					    struct lf_error *);
	enum lf_result (*lead_get_scoring)(struct lf_store *, int64_t, struct lf_lead *,
					   void **, size_t *, struct lf_error *);

	enum lf_result (*answer_add)(struct lf_store *, struct lf_answer *, struct lf_error *);
	enum lf_result (*answer_list)(struct lf_store *, int64_t, lf_answer_fn, void *,
				      struct lf_error *);
	enum lf_result (*answer_firsts)(struct lf_store *, lf_first_answer_fn, void *,
					struct lf_error *);
	enum lf_result (*leads_entered)(struct lf_store *, enum lf_stage, lf_time_ms,
					lf_entered_fn, void *, struct lf_error *);
	enum lf_result (*leads_at)(struct lf_store *, enum lf_stage, lf_time_ms,
				   lf_entered_fn, void *, struct lf_error *);
	enum lf_result (*spend_put)(struct lf_store *, const struct lf_spend *, bool, bool *,
				    bool *, struct lf_error *);
	enum lf_result (*spend_sum)(struct lf_store *, lf_time_ms, lf_time_ms, lf_spend_fn, void *,
				    struct lf_error *);
	enum lf_result (*report_values)(struct lf_store *, const struct lf_report_filter *,
					lf_value_count_fn, void *, struct lf_error *);
	enum lf_result (*report_last_touch)(struct lf_store *, const struct lf_report_filter *,
					    lf_touch_count_fn, void *, struct lf_error *);
	enum lf_result (*report_events)(struct lf_store *, const struct lf_report_filter *,
					lf_event_count_fn, void *, struct lf_error *);
	enum lf_result (*cdp_identity)(struct lf_store *, const char *, int64_t *,
				       struct lf_error *);
	enum lf_result (*cdp_link)(struct lf_store *, const char *, int64_t, lf_time_ms,
				   struct lf_error *);
	enum lf_result (*cdp_hold)(struct lf_store *, const char *, const char *, lf_time_ms,
				   const char *, bool *, struct lf_error *);
	enum lf_result (*cdp_take)(struct lf_store *, const char *, lf_cdp_held_fn, void *,
				   struct lf_error *);
	enum lf_result (*stage_stays)(struct lf_store *, enum lf_stage, lf_time_ms, lf_time_ms,
				      lf_time_ms, lf_time_ms, lf_stage_stay_fn, void *,
				      struct lf_error *);
	enum lf_result (*handoff_outcomes)(struct lf_store *, lf_time_ms, lf_time_ms,
					   lf_handoff_count_fn, void *, struct lf_error *);
	enum lf_result (*sqls_unhanded)(struct lf_store *, lf_entered_fn, void *,
					struct lf_error *);
	enum lf_result (*recycle_outcomes)(struct lf_store *, lf_time_ms, lf_time_ms,
					   lf_recycle_count_fn, void *, struct lf_error *);
	enum lf_result (*event_insert_many)(struct lf_store *, const struct lf_event *, size_t,
					    bool *, struct lf_error *);
	enum lf_result (*event_insert)(struct lf_store *, const struct lf_event *, bool *,
				       struct lf_error *);
	enum lf_result (*event_get)(struct lf_store *, const char *, struct lf_event *,
				    struct lf_error *);
	enum lf_result (*event_list)(struct lf_store *, int64_t, lf_event_fn, void *,
				     struct lf_error *);

	enum lf_result (*touch_insert)(struct lf_store *, struct lf_touch *, bool *,
				       struct lf_error *);
	enum lf_result (*touch_list)(struct lf_store *, int64_t, lf_touch_fn, void *,
				     struct lf_error *);

	enum lf_result (*transition_append)(struct lf_store *, struct lf_transition *,
					    struct lf_error *);
	enum lf_result (*transition_list)(struct lf_store *, int64_t, lf_transition_fn,
					  void *, struct lf_error *);

	enum lf_result (*rep_insert)(struct lf_store *, struct lf_rep *, struct lf_error *);
	enum lf_result (*rep_find)(struct lf_store *, const char *, struct lf_rep *,
				   struct lf_error *);
	enum lf_result (*rep_get)(struct lf_store *, int64_t, struct lf_rep *,
				  struct lf_error *);
	enum lf_result (*lead_field_present)(struct lf_store *, const char *, bool, bool *,
					     struct lf_error *);
	enum lf_result (*rep_list)(struct lf_store *, lf_rep_fn, void *, struct lf_error *);

	enum lf_result (*model_add)(struct lf_store *, struct lf_model *, struct lf_error *);
	enum lf_result (*model_get)(struct lf_store *, int, struct lf_model *,
				    struct lf_error *);
	enum lf_result (*model_list)(struct lf_store *, lf_model_fn, void *, struct lf_error *);
	enum lf_result (*model_set_status)(struct lf_store *, int, const char *,
					   struct lf_error *);

	enum lf_result (*truth_put)(struct lf_store *, int64_t, double, double,
				    struct lf_error *);
	enum lf_result (*truth_get)(struct lf_store *, int64_t, double *, double *,
				    struct lf_error *);
	enum lf_result (*lead_erase)(struct lf_store *, int64_t, const char *, int64_t *,
				     int64_t *, struct lf_error *);
	enum lf_result (*audit)(struct lf_store *, const char *, const char *, const char *,
				const char *, struct lf_error *);
	enum lf_result (*token_insert)(struct lf_store *, struct lf_token *, struct lf_error *);
	enum lf_result (*token_get)(struct lf_store *, int64_t, struct lf_token *,
				    struct lf_error *);
	enum lf_result (*token_list)(struct lf_store *, lf_token_fn, void *, struct lf_error *);
	enum lf_result (*token_revoke)(struct lf_store *, int64_t, lf_time_ms, struct lf_error *);
	enum lf_result (*session_insert)(struct lf_store *, struct lf_session *, struct lf_error *);
	enum lf_result (*session_get)(struct lf_store *, int64_t, struct lf_session *,
				      struct lf_error *);
	enum lf_result (*session_end)(struct lf_store *, int64_t, lf_time_ms, struct lf_error *);
	enum lf_result (*webhook_insert)(struct lf_store *, struct lf_webhook *,
					 struct lf_error *);
	enum lf_result (*webhook_list)(struct lf_store *, lf_webhook_fn, void *,
				       struct lf_error *);
	enum lf_result (*webhook_delete)(struct lf_store *, int64_t, struct lf_error *);
	enum lf_result (*outbox_add)(struct lf_store *, const char *, lf_time_ms, const char *,
				     int *, struct lf_error *);
	enum lf_result (*outbox_claim)(struct lf_store *, lf_time_ms, lf_time_ms, int,
				       lf_delivery_fn, void *, struct lf_error *);
	enum lf_result (*outbox_next)(struct lf_store *, lf_time_ms *, struct lf_error *);
	enum lf_result (*outbox_attempt)(struct lf_store *, const struct lf_delivery *,
					 lf_time_ms, struct lf_error *);
	enum lf_result (*delivery_list)(struct lf_store *, int64_t, int, lf_delivery_fn, void *,
					struct lf_error *);
	enum lf_result (*rep_update)(struct lf_store *, const struct lf_rep *, struct lf_error *);
	enum lf_result (*held_load)(struct lf_store *, lf_held_count_fn, void *, struct lf_error *);
	enum lf_result (*rep_minutes)(struct lf_store *, lf_time_ms, lf_rep_minutes_fn, void *,
				      struct lf_error *);
	enum lf_result (*gate_candidates)(struct lf_store *, double, lf_candidate_fn, void *,
					  struct lf_error *);
	enum lf_result (*lead_move)(struct lf_store *, int64_t, enum lf_stage, int64_t,
				    const char *, lf_time_ms, struct lf_error *);
	enum lf_result (*routing_put)(struct lf_store *, const char *, const char *, int *,
				      struct lf_error *);
	enum lf_result (*routing_get)(struct lf_store *, int *, char **, struct lf_error *);
	enum lf_result (*gate_record)(struct lf_store *, const struct lf_gate_mark *,
				      struct lf_error *);
	enum lf_result (*gate_history)(struct lf_store *, int, lf_gate_mark_fn, void *,
				       struct lf_error *);
	enum lf_result (*webhook_wants)(struct lf_store *, const char *, bool *, struct lf_error *);
	enum lf_result (*assignment_add)(struct lf_store *, struct lf_assignment *,
					 struct lf_error *);
	enum lf_result (*assignment_update)(struct lf_store *, const struct lf_assignment *,
					    struct lf_error *);
	enum lf_result (*assignments)(struct lf_store *, bool, lf_assignment_fn, void *,
				      struct lf_error *);
	enum lf_result (*approval_add)(struct lf_store *, const struct lf_approval *,
				       struct lf_error *);
	enum lf_result (*approval_list)(struct lf_store *, int, lf_approval_fn, void *,
					struct lf_error *);
	enum lf_result (*autocheckpoint)(struct lf_store *, int64_t, struct lf_error *);
	enum lf_result (*lazy_commits)(struct lf_store *, struct lf_error *);
	enum lf_result (*lease)(struct lf_store *, const char *, const char *, lf_time_ms,
				lf_time_ms, bool *, struct lf_error *);
	enum lf_result (*set_lock_wait)(struct lf_store *, int64_t, struct lf_error *);
	enum lf_result (*checkpoint)(struct lf_store *, int *, struct lf_error *);
	enum lf_result (*log_length)(struct lf_store *, int64_t *, struct lf_error *);
	/* the file a sync of which makes this handle's commits durable
	 * (allocated), NOT_FOUND when they sync themselves */
	enum lf_result (*log_file)(struct lf_store *, char **, struct lf_error *);
	enum lf_result (*listen)(struct lf_store *, bool *, struct lf_error *);
	enum lf_result (*await_wake)(struct lf_store *, int, bool *, struct lf_error *);
};

struct lf_store {
	const struct lf_store_ops *ops;
};

struct sql;
/* The connection of a store of either backend (both are sqlite.c's handles). */
struct sql *lf_store_sql(struct lf_store *s);

/* The SQLite backend: path is a file name (":memory:" for tests). */
enum lf_result lf_sqlite_open(const char *path, struct lf_store **out,
			      struct lf_error *err);

/* The PostgreSQL backend: target is a postgresql:// URI or a libpq string. */
enum lf_result lf_pg_open(const char *target, struct lf_store **out,
			  struct lf_error *err);

#endif
