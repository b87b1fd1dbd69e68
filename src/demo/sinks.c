/*
 * sinks.c - where a demo world goes: into a store, in one transaction, or
 * into files that `leadflow import` reads back (NDJSON for leads, events
 * and touches; CSV for reps and the hidden truth).
 */
#include "demo/world.h"
#include <leadflow/json.h>
#include "core/value_json.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* --- into a store ---------------------------------------------------- */

struct store_sink {
	struct lf_store *s;
	int64_t *rep_ids;
	size_t nreps;
};

static enum lf_result store_reps(void *ctx, struct lf_rep *reps, size_t n,
				 struct lf_error *err)
{
	struct store_sink *k = ctx;
	enum lf_result r;

	if (!(k->rep_ids = calloc(n, sizeof(*k->rep_ids))))
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	k->nreps = n;
	for (size_t i = 0; i < n; i++) {
		if ((r = lf_store_rep_insert(k->s, &reps[i], err)))
			return r;
		k->rep_ids[i] = reps[i].id;
	}
	return LF_OK;
}

static enum lf_result store_story(void *ctx, struct demo_story *st, struct lf_error *err)
{
	struct store_sink *k = ctx;
	enum lf_result r;
	bool inserted;

	st->lead.owner_rep_id = st->owner >= 0 ? k->rep_ids[st->owner] : 0;
	if ((r = lf_store_lead_insert(k->s, &st->lead, err)) ||
	    (r = lf_store_truth_put(k->s, st->lead.id, st->p_sql, st->p_won, err)))
		return r;
	for (size_t i = 0; i < st->nevents; i++) {
		st->events[i].lead_id = st->lead.id;
		if ((r = lf_store_event_insert(k->s, &st->events[i], &inserted, err)))
			return r;
	}
	for (size_t i = 0; i < st->ntouches; i++) {
		struct lf_touch *t = &st->touches[i].t;
		t->lead_id = st->lead.id;
		t->rep_id = k->rep_ids[st->touches[i].rep];
		if ((r = lf_store_touch_insert(k->s, t, &inserted, err)))
			return r;
	}
	for (size_t i = 0; i < st->ntrans; i++) {
		int64_t owner = st->trans[i].owner_rep_id;
		st->trans[i].lead_id = st->lead.id;
		st->trans[i].owner_rep_id = owner > 0 ? k->rep_ids[owner - 1] : 0;
		if ((r = lf_store_transition_append(k->s, &st->trans[i], err)))
			return r;
	}
	for (size_t i = 0; i < st->nanswers; i++) {
		st->answers[i].lead_id = st->lead.id;
		if ((r = lf_store_answer_add(k->s, &st->answers[i], err)))
			return r;
	}
	return LF_OK;
}

static enum lf_result store_spend(void *ctx, const struct lf_spend *sp, struct lf_error *err)
{
	struct store_sink *k = ctx;
	bool inserted, changed;
	return lf_store_spend_put(k->s, sp, false, &inserted, &changed, err);
}

enum lf_result lf_demo_build(struct lf_store *s, const struct lf_demo_options *o,
			     struct lf_demo_stats *stats, struct lf_error *err)
{
	struct store_sink k = { .s = s };
	struct demo_sink sink = { store_reps, store_story, store_spend, &k };
	enum lf_result r;

	if ((r = lf_store_begin(s, err)))
		return r;
	/* a new world: its aggregates are summed once at the end */
	r = lf_store_aggregates_pause(s, err);
	if (!r)
		r = demo_generate(o, &sink, stats, err);
	if (!r)
		r = lf_store_aggregates_rebuild(s, err);
	if (!r)
		r = lf_store_commit(s, err);
	if (r)
		lf_store_rollback(s);
	free(k.rep_ids);
	return r;
}

/* --- into files ------------------------------------------------------ */

enum { F_REPS, F_LEADS, F_EVENTS, F_TOUCHES, F_TRANSITIONS, F_TRUTH, F_SPEND, F_COUNT };
static const char *const file_names[F_COUNT] = {
	"reps.csv", "leads.ndjson", "events.ndjson", "touches.ndjson",
	"transitions.ndjson", "truth.csv", "spend.csv",
};

struct file_sink {
	FILE *f[F_COUNT];
	char **rep_names;
	size_t nreps;
};

static void put_json(FILE *f, json_t *o)
{
	json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	fputc('\n', f);
	json_decref(o);
}

static void set_str(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

static enum lf_result file_reps(void *ctx, struct lf_rep *reps, size_t n,
				struct lf_error *err)
{
	struct file_sink *k = ctx;

	if (!(k->rep_names = calloc(n, sizeof(char *))))
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	k->nreps = n;
	fprintf(k->f[F_REPS], "name,team,pools,weekly_hours,max_active,away,tier\n");
	for (size_t i = 0; i < n; i++) {
		k->rep_names[i] = strdup(reps[i].name);
		fprintf(k->f[F_REPS], "%s,%s,\"%s\",%g,%d,%s,%s\n", reps[i].name, reps[i].team,
			reps[i].pools, reps[i].weekly_hours, reps[i].max_active,
			reps[i].away ? "true" : "false", lf_tier_name(reps[i].tier));
	}
	return LF_OK;
}

static enum lf_result file_story(void *ctx, struct demo_story *st, struct lf_error *err)
{
	struct file_sink *k = ctx;
	const struct lf_lead *l = &st->lead;
	json_t *o = json_object(), *attrs = json_object();
	(void)err;

	set_str(o, "external_id", l->external_id);
	set_str(o, "email", l->email);
	set_str(o, "name", l->name);
	set_str(o, "company", l->company);
	set_str(o, "title", l->title);
	set_str(o, "country", l->country);
	set_str(o, "industry", l->industry);
	if (!isnan(l->employees))
		json_object_set_new(o, "employees", json_integer((json_int_t)l->employees));
	set_str(o, "source", l->source);
	set_str(o, "campaign", l->campaign);
	json_object_set_new(o, "created_at", lf_time_json(l->created_at));
	json_object_set_new(o, "stage", json_string(lf_stage_name(l->stage)));
	set_str(o, "disq_reason", l->disq_reason);
	if (st->owner >= 0)
		set_str(o, "owner", k->rep_names[st->owner]);
	for (size_t i = 0; i < l->attrs.n; i++)
		json_object_set_new(attrs, l->attrs.items[i].name,
				    lf_value_json(&l->attrs.items[i].v));
	json_object_set_new(o, "attributes", attrs);
	put_json(k->f[F_LEADS], o);

	for (size_t i = 0; i < st->nevents; i++) {
		const struct lf_event *e = &st->events[i];
		char at[LF_TIME_STR_MAX];
		lf_time_format(e->occurred_at, at);
		/* properties are already canonical JSON text */
		fprintf(k->f[F_EVENTS],
			"{\"id\":\"%s\",\"external_id\":\"%s\",\"type\":\"%s\","
			"\"occurred_at\":\"%s\",\"properties\":%s}\n",
			e->id, l->external_id, e->type, at, e->properties);
	}
	for (size_t i = 0; i < st->ntouches; i++) {
		const struct lf_touch *t = &st->touches[i].t;
		o = json_object();
		set_str(o, "id", t->key);
		set_str(o, "external_id", l->external_id);
		set_str(o, "rep", k->rep_names[st->touches[i].rep]);
		set_str(o, "kind", t->kind);
		json_object_set_new(o, "minutes", json_real(t->minutes));
		set_str(o, "outcome", t->outcome);
		json_object_set_new(o, "at", lf_time_json(t->at));
		put_json(k->f[F_TOUCHES], o);
	}
	for (size_t i = 0; i < st->ntrans; i++) {
		int64_t owner = st->trans[i].owner_rep_id;
		o = lf_transition_json(&st->trans[i]);
		json_object_del(o, "id");
		json_object_del(o, "owner_rep_id");   /* an index here: the name says who */
		if (owner > 0)
			set_str(o, "owner", k->rep_names[owner - 1]);
		json_object_set_new(o, "external_id", json_string(l->external_id));
		put_json(k->f[F_TRANSITIONS], o);
	}
	fprintf(k->f[F_TRUTH], "%s,%.6f,%.6f\n", l->external_id, st->p_sql, st->p_won);
	return LF_OK;
}

/* spend.csv: what `leadflow import spend` reads with the default mapping */
static enum lf_result file_spend(void *ctx, const struct lf_spend *sp, struct lf_error *err)
{
	struct file_sink *k = ctx;
	char day[LF_TIME_STR_MAX];
	(void)err;
	lf_time_format(sp->day, day);
	day[10] = '\0';
	fprintf(k->f[F_SPEND], "%s,%s,%s,%.2f\n", day, sp->channel, sp->campaign, sp->amount);
	return LF_OK;
}

enum lf_result lf_demo_export(const char *dir, const struct lf_demo_options *o,
			      struct lf_demo_stats *stats, struct lf_error *err)
{
	struct file_sink k = { 0 };
	struct demo_sink sink = { file_reps, file_story, file_spend, &k };
	enum lf_result r = LF_OK;
	char path[4096];

	if (mkdir(dir, 0777) && errno != EEXIST)
		return lf_error_set(err, LF_ERR_IO, "cannot create '%s': %s", dir,
				    lf_errno_str(errno));
	for (int i = 0; i < F_COUNT; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, file_names[i]);
		if (!(k.f[i] = fopen(path, "w"))) {
			r = lf_error_set(err, LF_ERR_IO, "cannot create '%s': %s", path,
					 lf_errno_str(errno));
			goto out;
		}
	}
	fprintf(k.f[F_TRUTH], "external_id,p_sql,p_won\n");
	fprintf(k.f[F_SPEND], "day,channel,campaign,amount\n");
	r = demo_generate(o, &sink, stats, err);
out:
	for (int i = 0; i < F_COUNT; i++)
		if (k.f[i] && fclose(k.f[i]) && !r) {
			snprintf(path, sizeof(path), "%s/%s", dir, file_names[i]);
			r = lf_error_set(err, LF_ERR_IO, "cannot write '%s': %s", path,
					 lf_errno_str(errno));
		}
	for (size_t i = 0; i < k.nreps; i++)
		free(k.rep_names[i]);
	free(k.rep_names);
	return r;
}
