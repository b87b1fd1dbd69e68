/*
 * config.h - the server's settings, from one table: each key has a default,
 * may be set in a config file (`key value` lines, `#` comments) and is
 * overridden by the environment (LEADFLOW_<KEY>, upper case). Where each
 * value came from is kept, for `leadflow config show`.
 */
#ifndef LEADFLOW_CONFIG_H
#define LEADFLOW_CONFIG_H

#include <leadflow/table.h>

#include <stddef.h>

enum lf_config_source { LF_CONF_DEFAULT, LF_CONF_FILE, LF_CONF_ENV, LF_CONF_FLAG };

struct lf_config {
	char listen[128];          /* ADDR:PORT */
	long threads;              /* HTTP worker threads */
	long body_max;             /* bytes of a request body */
	long line_max;             /* bytes of an NDJSON line */
	long batch_max;            /* events in one request */
	long header_max;           /* bytes of a connection's headers */
	long queue_max;            /* write requests waiting before 429 */
	long group_max;            /* write requests committed together at most */
	long log_max_mb;           /* the writer's log starts over past this (SQLite) */
	long connections_max;
	long timeout_s;            /* idle connection timeout */
	long token_cache_ms;       /* how long a checked token is trusted */
	long session_minutes;      /* how long an app session lasts */
	long webhook_timeout_ms;
	long webhook_attempts;     /* before a delivery is marked failed */
	long webhook_backoff_ms;   /* first retry delay, doubled each time */
	long webhook_backoff_max_ms;
	long gate_interval_ms;     /* the gate runs after writes at most this often; 0 never */
	long utilisation_pct;      /* share of a rep's weekly hours for leads */
	long lead_minutes;         /* time per lead until measured */
	long opportunity_minutes;  /* time per opportunity until measured */
	long sla_minutes, sla_hand_raiser_minutes;             /* first touch due within */
	long reassign_minutes, reassign_hand_raiser_minutes;   /* untouched: reassigned after */
	long handoff_sla_minutes, handoff_reassign_minutes;    /* the same for an AE's SQLs */
	enum lf_config_source source[32]; /* by key index */
};

/* The defaults. */
void lf_config_defaults(struct lf_config *c);
/* Reads a config file: errors name file:line. */
enum lf_result lf_config_load(struct lf_config *c, const char *path, struct lf_error *err);
/* Applies LEADFLOW_<KEY> variables: errors name the variable. */
enum lf_result lf_config_env(struct lf_config *c, struct lf_error *err);
/* Sets one key from text (source says where it came from). */
enum lf_result lf_config_set(struct lf_config *c, const char *key, const char *value,
			     enum lf_config_source source, struct lf_error *err);
/* key, value, source, help: one row per key. */
enum lf_result lf_config_table(const struct lf_config *c, struct lf_table *t);

#endif
