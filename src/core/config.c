/*
 * config.c - the settings table and its three sources (see config.h).
 */
#include <leadflow/config.h>
#include <leadflow/buf.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct key {
	const char *name;
	size_t offset;
	bool text;                 /* else a long */
	const char *def;
	long min, max;
	const char *help;
};

#define L(f) offsetof(struct lf_config, f), false
static const struct key keys[] = {
	{ "listen", offsetof(struct lf_config, listen), true, "127.0.0.1:8080", 0, 0,
	  "address and port the server listens on" },
	{ "threads", L(threads), "2", 1, 64, "HTTP worker threads" },
	{ "body_max", L(body_max), "8388608", 1024, 1L << 30, "largest request body, bytes" },
	{ "line_max", L(line_max), "1048576", 256, 1L << 26, "longest NDJSON line, bytes" },
	{ "batch_max", L(batch_max), "10000", 1, 1000000, "most events in one request" },
	{ "header_max", L(header_max), "32768", 4096, 1L << 24,
	  "memory for one connection's headers, bytes" },
	{ "queue_max", L(queue_max), "4096", 1, 1000000,
	  "write requests waiting before answering 429" },
	{ "group_max", L(group_max), "1024", 1, 100000,
	  "most write requests committed in one transaction" },
	{ "log_max_mb", L(log_max_mb), "512", 1, 1L << 20,
	  "the server's write-ahead log (SQLite) starts over past this size, MiB" },
	{ "connections_max", L(connections_max), "1024", 1, 100000, "open connections at most" },
	{ "timeout_s", L(timeout_s), "60", 1, 86400, "idle connection timeout, seconds" },
	{ "token_cache_ms", L(token_cache_ms), "5000", 0, 3600000,
	  "how long a checked token is trusted before it is read again" },
	{ "session_minutes", L(session_minutes), "480", 1, 43200,
	  "how long an app session lasts after sign-in, minutes" },
	{ "webhook_timeout_ms", L(webhook_timeout_ms), "5000", 100, 600000,
	  "time a receiver has to answer" },
	{ "webhook_attempts", L(webhook_attempts), "10", 1, 100,
	  "attempts before a delivery is marked failed" },
	{ "webhook_backoff_ms", L(webhook_backoff_ms), "1000", 1, 3600000,
	  "delay before the first retry, doubled after each failure" },
	{ "webhook_backoff_max_ms", L(webhook_backoff_max_ms), "3600000", 1, 86400000,
	  "longest delay between retries" },
	{ "gate_interval_ms", L(gate_interval_ms), "1000", 0, 86400000,
	  "the gate runs after writes at most this often (0: only when asked)" },
	{ "utilisation_pct", L(utilisation_pct), "80", 1, 100,
	  "share of a rep's weekly hours that leads may take, percent" },
	{ "lead_minutes", L(lead_minutes), "60", 1, 100000,
	  "time a lead costs until 30 leads are measured, minutes" },
	{ "opportunity_minutes", L(opportunity_minutes), "240", 1, 1000000,
	  "time an opportunity costs until 30 are measured, minutes" },
	{ "sla_minutes", L(sla_minutes), "240", 1, 100000,
	  "first touch due within, minutes after assignment" },
	{ "sla_hand_raiser_minutes", L(sla_hand_raiser_minutes), "15", 1, 100000,
	  "first touch of a hand-raiser due within, minutes" },
	{ "reassign_minutes", L(reassign_minutes), "480", 1, 1000000,
	  "an untouched lead goes to another rep after, minutes" },
	{ "reassign_hand_raiser_minutes", L(reassign_hand_raiser_minutes), "60", 1, 1000000,
	  "an untouched hand-raiser goes to another rep after, minutes" },
	{ "handoff_sla_minutes", L(handoff_sla_minutes), "1440", 1, 1000000,
	  "an AE's first touch of an SQL handed to them due within, minutes" },
	{ "handoff_reassign_minutes", L(handoff_reassign_minutes), "4320", 1, 10000000,
	  "an SQL its AE has not touched goes to another AE after, minutes" },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))
_Static_assert(NKEYS <= sizeof(((struct lf_config *)0)->source) /
		       sizeof(((struct lf_config *)0)->source[0]), "source[] too small");

static const char *const source_names[] = { "default", "file", "env", "flag" };

static const struct key *find(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

static enum lf_result set_key(struct lf_config *c, const struct key *k, const char *value,
			      enum lf_config_source source, const char *where,
			      struct lf_error *err)
{
	char *p = (char *)c + k->offset;
	if (k->text) {
		if (!*value || strlen(value) >= sizeof(c->listen))
			return lf_error_field(err, LF_ERR_INPUT, k->name,
					      "%s: '%s' needs a value of 1 to %zu characters",
					      where, k->name, sizeof(c->listen) - 1);
		strcpy(p, value);
	} else {
		char *end;
		errno = 0;
		long v = strtol(value, &end, 10);
		if (errno || end == value || *end || v < k->min || v > k->max)
			return lf_error_field(err, LF_ERR_INPUT, k->name,
					      "%s: '%s' must be a whole number from %ld to %ld,"
					      " got '%s'", where, k->name, k->min, k->max, value);
		*(long *)p = v;
	}
	c->source[k - keys] = source;
	return LF_OK;
}

void lf_config_defaults(struct lf_config *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < NKEYS; i++)
		set_key(c, &keys[i], keys[i].def, LF_CONF_DEFAULT, "default", NULL);
}

enum lf_result lf_config_set(struct lf_config *c, const char *key, const char *value,
			     enum lf_config_source source, struct lf_error *err)
{
	const struct key *k = find(key);
	if (!k)
		return lf_error_field(err, LF_ERR_INPUT, key, "unknown setting '%s'", key);
	return set_key(c, k, value, source, key, err);
}

static char *trim(char *s)
{
	char *e;
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

enum lf_result lf_config_load(struct lf_config *c, const char *path, struct lf_error *err)
{
	FILE *f;
	char line[1024], where[512];
	enum lf_result r = lf_open_input(path, &f, err);
	int n = 0;

	if (r) {
		lf_error_prefix(err, "the config file");
		return r;
	}
	while (!r && fgets(line, sizeof(line), f)) {
		char *s, *v;
		const struct key *k;
		n++;
		snprintf(where, sizeof(where), "%s:%d", path, n);
		if (!strchr(line, '\n') && !feof(f)) {
			r = lf_error_set(err, LF_ERR_INPUT, "%s: line longer than %zu bytes", where,
					 sizeof(line) - 2);
			break;
		}
		s = trim(line);
		if (!*s || *s == '#')
			continue;
		v = s + strcspn(s, " \t=");
		if (*v)
			*v++ = 0;
		v = trim(v + (*v == '=' ? 1 : 0));
		if (*v == '=')
			v = trim(v + 1);
		if (!(k = find(s)))
			r = lf_error_field(err, LF_ERR_INPUT, s, "%s: unknown setting '%s'", where, s);
		else
			r = set_key(c, k, v, LF_CONF_FILE, where, err);
	}
	fclose(f);
	return r;
}

enum lf_result lf_config_env(struct lf_config *c, struct lf_error *err)
{
	for (size_t i = 0; i < NKEYS; i++) {
		char var[64];
		size_t j = 0;
		const char *v;
		enum lf_result r;
		j = (size_t)snprintf(var, sizeof(var), "LEADFLOW_");
		for (const char *p = keys[i].name; *p && j + 1 < sizeof(var); p++)
			var[j++] = (char)toupper((unsigned char)*p);
		var[j] = 0;
		if ((v = getenv(var)) && (r = set_key(c, &keys[i], v, LF_CONF_ENV, var, err)))
			return r;
	}
	return LF_OK;
}

enum lf_result lf_config_table(const struct lf_config *c, struct lf_table *t)
{
	static const char *const headers[] = { "key", "value", "source", "meaning" };
	lf_table_init(t, 4, headers, 0);
	for (size_t i = 0; i < NKEYS; i++) {
		char num[32];
		const char *p = (const char *)c + keys[i].offset;
		const char *cells[4] = { keys[i].name, p, source_names[c->source[i]],
					 keys[i].help };
		enum lf_result r;
		if (!keys[i].text) {
			snprintf(num, sizeof(num), "%ld", *(const long *)p);
			cells[1] = num;
		}
		if ((r = lf_table_add(t, cells)))
			return r;
	}
	return LF_OK;
}
