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
/* api_events.c */
H(api_events_post);
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

/* The embedded OpenAPI document (openapi.json), NUL-terminated. */
extern const char lf_openapi_json[];

#endif
