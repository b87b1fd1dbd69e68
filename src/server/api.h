/*
 * api.h - the handlers of the HTTP API, one file per resource.
 */
#ifndef LF_SERVER_API_H
#define LF_SERVER_API_H

#include "server/http.h"

#define H(name) enum lf_http_outcome name(struct lf_http_req *req, struct lf_http_resp *resp)

/* api_system.c */
H(api_healthz); H(api_metrics); H(api_openapi); H(api_settings);
/* api_leads.c */
H(api_lead_upsert); H(api_lead_list); H(api_lead_get); H(api_lead_patch);
H(api_lead_erase); H(api_lead_explain); H(api_lead_timeline);
H(api_lead_transition); H(api_lead_touch); H(api_lead_actions);
/* api_answers.c: a lead's qualification questions and answers */
H(api_lead_answers); H(api_lead_answer);
/* api_events.c */
H(api_events_post);
H(api_spend_post);
H(api_spend_get);
H(api_spend_whatif);
H(api_cdp_track);
H(api_cdp_page);
H(api_cdp_screen);
H(api_cdp_identify);
H(api_cdp_group);
H(api_cdp_alias);
H(api_cdp_batch);
/* api_models.c */
H(api_model_list); H(api_model_add); H(api_model_get); H(api_model_diff);
H(api_model_activate); H(api_model_propose); H(api_model_approve);
/* api_reps.c */
H(api_rep_list); H(api_rep_add); H(api_rep_patch);
/* api_reports.c */
H(api_report); H(api_report_list);
/* api_gate.c: the gate and the routing file */
H(api_gate_get); H(api_gate_run); H(api_simulation); H(api_routing_get); H(api_routing_put);
/* api_tokens.c */
H(api_token_list); H(api_token_add); H(api_token_revoke);
/* api_sessions.c: the app's sign-in */
H(api_session_open); H(api_session_get); H(api_session_close);
/* api_webhooks.c */
H(api_webhook_list); H(api_webhook_add); H(api_webhook_delete); H(api_webhook_deliveries);

#undef H

/*
 * The lead of path parameter id as the caller may see it, and the active
 * model (*has false when none is). false, resp set, when either fails;
 * release both after (the model only when *has).
 */
struct lf_model_def;
bool api_lead_and_model(struct lf_http_req *req, struct lf_http_resp *resp, int64_t *id,
			struct lf_lead *l, struct lf_model_def *def, int *version, bool *has);
/*
 * The questions of def (NULL: none) for lead l, those asked at ask
 * (enum lf_ask_at; -1: all), each with its answer so far or null.
 */
struct lf_model_def;
struct lf_write_ctx;
json_t *api_questions_for(const struct lf_model_def *def, const struct lf_lead *l, int ask);
/*
 * The body's "answers" (question key -> string, number or boolean), checked
 * in shape; *out NULL when absent. false (resp set) when malformed.
 */
bool api_answers_take(json_t *body, json_t **out, struct lf_http_resp *resp);
/*
 * Records answers on lead l in the writer's transaction, each appended to
 * recorded; a refused answer's error names "answers.KEY".
 */
enum lf_result api_answers_write(struct lf_write_ctx *w, const struct lf_lead *l,
				 json_t *answers, json_t *recorded, struct lf_error *err);

/* The embedded OpenAPI document (openapi.json), NUL-terminated. */
extern const char lf_openapi_json[];

#endif
