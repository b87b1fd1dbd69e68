/*
 * router.c - the route table and matching (see router.h).
 */
#include "server/router.h"

#include "server/api.h"

#include <stdio.h>
#include <string.h>

#define R(x) LF_ROLE_BIT(LF_ROLE_##x)
#define ADMIN R(ADMIN)
#define READERS (R(ADMIN) | R(MARKETING) | R(SALES_MANAGER) | R(READONLY))
#define EVERYONE (READERS | R(REP))
#define SALES (R(ADMIN) | R(SALES_MANAGER) | R(REP))

const struct lf_route lf_routes[] = {
	{ "GET", "/healthz", 0, api_healthz, "healthz", NULL },
	{ "GET", "/metrics", READERS, api_metrics, "metrics", NULL },
	{ "GET", "/v1/openapi.json", 0, api_openapi, "openapi", NULL },
	{ "GET", "/v1/settings", ADMIN, api_settings, "settings.get", NULL },

	{ "POST", "/v1/leads", EVERYONE & ~R(READONLY), api_lead_upsert, "leads.upsert", NULL },
	{ "GET", "/v1/leads", EVERYONE, api_lead_list, "leads.list",
	  "limit,cursor,sort,stage,source,campaign,owner,min_score,max_score,email,"
	  "external_id,reason,reason_stage,from,to,team,reasons" },
	{ "GET", "/v1/leads/{id}", EVERYONE, api_lead_get, "leads.get", NULL },
	{ "PATCH", "/v1/leads/{id}", R(ADMIN) | R(MARKETING), api_lead_patch, "leads.patch", NULL },
	{ "DELETE", "/v1/leads/{id}", ADMIN, api_lead_erase, "leads.erase", NULL },
	{ "GET", "/v1/leads/{id}/explain", EVERYONE, api_lead_explain, "leads.explain", "at,version" },
	{ "GET", "/v1/leads/{id}/timeline", EVERYONE, api_lead_timeline, "leads.timeline", NULL },
	{ "GET", "/v1/leads/{id}/actions", EVERYONE, api_lead_actions, "leads.actions", NULL },
	{ "POST", "/v1/leads/{id}/transitions", EVERYONE & ~R(READONLY), api_lead_transition,
	  "leads.transition", NULL },
	{ "GET", "/v1/leads/{id}/answers", EVERYONE, api_lead_answers, "leads.answers", NULL },
	{ "POST", "/v1/leads/{id}/answers", SALES, api_lead_answer, "leads.answer", NULL },
	{ "POST", "/v1/leads/{id}/touches", SALES, api_lead_touch, "leads.touch", NULL },

	{ "POST", "/v1/events", R(ADMIN) | R(MARKETING), api_events_post, "events.post", NULL },
	{ "POST", "/v1/spend", R(ADMIN) | R(MARKETING), api_spend_post, "spend.post", NULL },
	{ "GET", "/v1/spend", READERS, api_spend_get, "spend.get", "from,to" },
	{ "GET", "/v1/spend/what-if", READERS, api_spend_whatif, "spend.whatif", "from,to,move" },
	/* the Segment / RudderStack tracking API (api_cdp.c) */
	{ "POST", "/v1/track", R(ADMIN) | R(MARKETING), api_cdp_track, "cdp.track", NULL },
	{ "POST", "/v1/page", R(ADMIN) | R(MARKETING), api_cdp_page, "cdp.page", NULL },
	{ "POST", "/v1/screen", R(ADMIN) | R(MARKETING), api_cdp_screen, "cdp.screen", NULL },
	{ "POST", "/v1/identify", R(ADMIN) | R(MARKETING), api_cdp_identify, "cdp.identify", NULL },
	{ "POST", "/v1/group", R(ADMIN) | R(MARKETING), api_cdp_group, "cdp.group", NULL },
	{ "POST", "/v1/alias", R(ADMIN) | R(MARKETING), api_cdp_alias, "cdp.alias", NULL },
	{ "POST", "/v1/batch", R(ADMIN) | R(MARKETING), api_cdp_batch, "cdp.batch", NULL },

	{ "GET", "/v1/reps", READERS, api_rep_list, "reps.list", NULL },
	{ "POST", "/v1/reps", R(ADMIN) | R(SALES_MANAGER), api_rep_add, "reps.add", NULL },

	{ "GET", "/v1/models", READERS, api_model_list, "models.list", NULL },
	{ "POST", "/v1/models", R(ADMIN) | R(MARKETING), api_model_add, "models.add", NULL },
	{ "GET", "/v1/models/{version}", READERS, api_model_get, "models.get", NULL },
	{ "GET", "/v1/models/{version}/diff/{other}", READERS, api_model_diff, "models.diff", NULL },
	{ "POST", "/v1/models/{version}/propose", R(ADMIN) | R(MARKETING), api_model_propose,
	  "models.propose", NULL },
	{ "POST", "/v1/models/{version}/approve", R(MARKETING) | R(SALES_MANAGER),
	  api_model_approve, "models.approve", NULL },
	{ "POST", "/v1/models/{version}/activate", R(ADMIN) | R(MARKETING) | R(SALES_MANAGER),
	  api_model_activate, "models.activate", NULL },

	{ "PATCH", "/v1/reps/{id}", R(ADMIN) | R(SALES_MANAGER), api_rep_patch, "reps.patch", NULL },

	{ "GET", "/v1/gate", READERS, api_gate_get, "gate.get", NULL },
	{ "POST", "/v1/gate/run", R(ADMIN) | R(SALES_MANAGER), api_gate_run, "gate.run", NULL },
	{ "GET", "/v1/simulation", READERS, api_simulation, "simulation.get",
	  "weeks,reps_delta,aes_delta,hours_delta,floor,model" },
	{ "GET", "/v1/routing", READERS, api_routing_get, "routing.get", NULL },
	{ "PUT", "/v1/routing", R(ADMIN) | R(SALES_MANAGER), api_routing_put, "routing.put", NULL },

	{ "GET", "/v1/reports", READERS, api_report_list, "reports.list", NULL },
	{ "GET", "/v1/reports/{name}", READERS, api_report, "reports.get",
	  "from,to,source,campaign,team,outcome,weeks,value_field,attribution" },

	{ "GET", "/v1/tokens", ADMIN, api_token_list, "tokens.list", NULL },
	{ "POST", "/v1/tokens", ADMIN, api_token_add, "tokens.add", NULL },
	{ "DELETE", "/v1/tokens/{id}", ADMIN, api_token_revoke, "tokens.revoke", NULL },

	{ "POST", "/v1/sessions", 0, api_session_open, "sessions.open", NULL },
	{ "GET", "/v1/sessions/current", EVERYONE, api_session_get, "sessions.get", NULL },
	{ "DELETE", "/v1/sessions/current", EVERYONE, api_session_close, "sessions.close", NULL },

	{ "GET", "/v1/webhooks", ADMIN, api_webhook_list, "webhooks.list", NULL },
	{ "POST", "/v1/webhooks", ADMIN, api_webhook_add, "webhooks.add", NULL },
	{ "DELETE", "/v1/webhooks/{id}", ADMIN, api_webhook_delete, "webhooks.delete", NULL },
	{ "GET", "/v1/webhooks/{id}/deliveries", ADMIN, api_webhook_deliveries,
	  "webhooks.deliveries", NULL },
};
const size_t lf_route_count = sizeof(lf_routes) / sizeof(lf_routes[0]);

/* Matches path against pattern, copying placeholders into req (may be NULL). */
static bool match(const char *pattern, const char *path, struct lf_http_req *req)
{
	int n = 0;
	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *end = strchr(path, '/');
			size_t len = end ? (size_t)(end - path) : strlen(path);
			if (!len || n >= 3 || len >= sizeof(req->param_buf[0]))
				return false;
			if (req) {
				memcpy(req->param_buf[n], path, len);
				req->param_buf[n][len] = 0;
				req->param[n] = req->param_buf[n];
			}
			n++;
			path += len;
			pattern = strchr(pattern, '}') + 1;
		} else if (*pattern++ != *path++) {
			return false;
		}
	}
	return !*pattern && !*path;
}

const struct lf_route *lf_route_find(const char *method, const char *path,
				     struct lf_http_req *req, bool *path_known)
{
	*path_known = false;
	for (size_t i = 0; i < lf_route_count; i++) {
		if (!match(lf_routes[i].pattern, path, NULL))
			continue;
		*path_known = true;
		if (!strcmp(lf_routes[i].method, method)) {
			match(lf_routes[i].pattern, path, req);
			return &lf_routes[i];
		}
	}
	return NULL;
}

bool lf_route_long_read(const struct lf_route *route)
{
	static const char *const slow[] = { "reports.get", "gate.get", "simulation.get" };
	for (size_t i = 0; i < sizeof(slow) / sizeof(slow[0]); i++)
		if (!strcmp(route->name, slow[i]))
			return true;
	return false;
}
