/*
 * session.c - rows written one at a time into a transaction the caller
 * holds: the path of the HTTP API and of the CLI's single-row commands.
 * The same preparation (record.c) and writes (apply.c) as a file's rows.
 */
#include <leadflow/import.h>

#include "ingest/apply.h"
#include "ingest/record.h"

#include <stdlib.h>
#include <string.h>

struct lf_ingest {
	struct lf_mapping maps[LF_ENTITY_SPEND + 1];   /* by enum lf_entity */
	const char *subject;         /* how an error names a field: "field '%s'", "--%s" */
	struct lf_applier apply;
	struct lf_import_summary sum;
	struct lf_row row;
	size_t cap;
};

enum lf_result lf_ingest_open(struct lf_store *s, const char *actor, bool strict,
			      struct lf_ingest **out, struct lf_error *err)
{
	struct lf_ingest *in = calloc(1, sizeof(*in));
	enum lf_result r;

	*out = NULL;
	if (!in)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	for (int e = 0; e <= LF_ENTITY_SPEND; e++) {
		lf_mapping_default((enum lf_entity)e, &in->maps[e]);
		if (strict)
			in->maps[e].unknown = LF_UNKNOWN_REJECT;
	}
	lf_applier_init(&in->apply, s, &in->sum);
	in->apply.actor = actor ? actor : "import";
	in->apply.reps_known = true;
	in->subject = "field '%s'";
	if ((r = lf_live_open(s, in->apply.now, &in->apply.live, err))) {
		lf_ingest_close(in);
		return r;
	}
	*out = in;
	return LF_OK;
}

static enum lf_row_outcome outcome_of(const struct lf_import_summary *before,
				      const struct lf_import_summary *after)
{
	if (after->inserted > before->inserted)
		return LF_ROW_INSERTED;
	if (after->updated > before->updated)
		return LF_ROW_UPDATED;
	return LF_ROW_UNCHANGED;
}

/*
 * The preparation names a file's column ("column 'at': bad date"); a single
 * row was no file: its error names the field the way its caller speaks
 * (the API: "field 'at': ...", the command line: "--at: ...").
 */
static void respeak(const struct lf_ingest *in, struct lf_error *err)
{
	char prefix[LF_ERROR_FIELD_MAX + 16], name[LF_ERROR_FIELD_MAX], msg[sizeof(err->msg)];
	size_t n;
	/* a file's row is told to map a column; a person or a client, to give a field */
	if (strstr(err->msg, "map a column to external_id or email")) {
		snprintf(err->msg, sizeof(err->msg), "a lead needs an external id or an email: "
			 "give %s", in->subject[0] == '-' ? "--external-id or --email"
			 : "'external_id' or 'email'");
		return;
	}
	if (!err->field[0])
		return;
	n = (size_t)snprintf(prefix, sizeof(prefix), "column '%s': ", err->field);
	if (strncmp(err->msg, prefix, n))
		return;
	snprintf(name, sizeof(name), "%s", err->field);
	if (in->subject[0] == '-')
		for (char *p = name; *p; p++)
			if (*p == '_')
				*p = '-';
	snprintf(prefix, sizeof(prefix), in->subject, name);
	snprintf(msg, sizeof(msg), "%s: %s", prefix, err->msg + n);
	memcpy(err->msg, msg, sizeof(msg));
}

/*
 * One row. Where a failed write spoils the transaction (PostgreSQL), the
 * row is a nested transaction of its own, so that a bad row of a batch is
 * undone alone and the batch goes on, as on SQLite; the session's caches
 * are then dropped, since they may hold what was undone.
 */
static enum lf_result write_row(struct lf_ingest *in, enum lf_entity entity,
				enum lf_row_outcome *outcome, int64_t *id,
				struct lf_error *err)
{
	struct lf_import_summary before = in->sum;
	bool nested = lf_store_failure_spoils(in->apply.s);
	struct lf_record rec;
	enum lf_result r;

	*id = 0;
	if (nested && (r = lf_store_begin(in->apply.s, err)))
		return r;
	if (!(r = lf_record_prepare(&in->maps[entity], &in->row, &rec, err)) &&
	    !(r = lf_apply_record(&in->apply, &rec, err))) {
		*outcome = outcome_of(&before, &in->sum);
		*id = entity == LF_ENTITY_LEADS ? rec.lead.id
		    : entity == LF_ENTITY_TOUCHES ? rec.touch.id : rec.event.lead_id;
	}
	lf_record_release(&rec);
	if (nested && !r && (r = lf_live_flush(in->apply.live, err)) == LF_OK)
		r = lf_store_commit(in->apply.s, err);
	if (nested && r) {
		struct lf_error again;
		lf_store_rollback(in->apply.s);
		in->sum = before;
		if (lf_ingest_refresh(in, &again))
			return lf_error_set(err, again.code, "%s", again.msg);
	}
	if (r)
		respeak(in, err);
	return r;
}

/* Lays a JSON object out as the session's row. */
static enum lf_result json_row(struct lf_ingest *in, void *obj, struct lf_error *err)
{
	enum lf_result r;
	if (!json_is_object((json_t *)obj))
		return lf_error_set(err, LF_ERR_INPUT, "expected a JSON object");
	if ((r = lf_row_from_json(obj, &in->row, &in->cap, err)))
		return r;
	in->row.specs = NULL;
	return LF_OK;
}

enum lf_result lf_ingest_json(struct lf_ingest *in, enum lf_entity entity, void *obj,
			      enum lf_row_outcome *outcome, int64_t *id,
			      struct lf_error *err)
{
	enum lf_result r;
	*id = 0;
	if ((r = json_row(in, obj, err)))
		return r;
	return write_row(in, entity, outcome, id, err);
}

enum lf_result lf_ingest_patch_lead(struct lf_ingest *in, int64_t id, void *obj,
				    enum lf_row_outcome *outcome, struct lf_error *err)
{
	struct lf_import_summary before = in->sum;
	struct lf_record rec;
	enum lf_result r;

	if ((r = json_row(in, obj, err)))
		return r;
	if (!(r = lf_record_prepare(&in->maps[LF_ENTITY_LEADS], &in->row, &rec, err)) &&
	    !(r = lf_apply_lead_update(&in->apply, id, &rec, err)))
		*outcome = outcome_of(&before, &in->sum);
	lf_record_release(&rec);
	return r;
}

enum lf_result lf_ingest_refresh(struct lf_ingest *in, struct lf_error *err)
{
	lf_strmap_release(&in->apply.leads);
	lf_strmap_init(&in->apply.leads);
	lf_strmap_release(&in->apply.reps);
	lf_strmap_init(&in->apply.reps);
	in->apply.now = lf_time_now();
	return lf_live_refresh(in->apply.live, in->apply.now, err);
}

const struct lf_model_def *lf_ingest_model(const struct lf_ingest *in, int *version)
{
	return lf_live_model(in->apply.live, version);
}

void lf_ingest_set_actor(struct lf_ingest *in, const char *actor)
{
	in->apply.actor = actor ? actor : "import";
}

void lf_ingest_summary(const struct lf_ingest *in, struct lf_import_summary *out)
{
	*out = in->sum;
}

enum lf_result lf_ingest_flush(struct lf_ingest *in, struct lf_error *err)
{
	enum lf_result r = lf_apply_spend_flush(&in->apply, err);
	return r ? r : lf_live_flush(in->apply.live, err);
}

void lf_ingest_close(struct lf_ingest *in)
{
	if (!in)
		return;
	lf_live_free(in->apply.live);
	lf_applier_release(&in->apply);
	for (int e = 0; e <= LF_ENTITY_SPEND; e++)
		lf_mapping_release(&in->maps[e]);
	free(in->row.cells);
	free(in);
}

void lf_ingest_set_rep(struct lf_ingest *in, int64_t rep_id)
{
	in->apply.adder_rep_id = rep_id;
}

enum lf_result lf_import_row(struct lf_store *s, enum lf_entity entity,
			     const char *const *names, const char *const *values,
			     size_t n, const char *actor, struct lf_import_summary *sum,
			     int64_t *id, struct lf_error *err)
{
	struct lf_ingest *in = NULL;
	enum lf_row_outcome outcome;
	enum lf_result r;

	memset(sum, 0, sizeof(*sum));
	*id = 0;
	if ((r = lf_store_begin(s, err)))
		return r;
	if ((r = lf_ingest_open(s, actor, false, &in, err)))
		goto out;
	in->subject = "--%s";   /* the command line's options are its fields */
	if (!(in->row.cells = calloc(n ? n : 1, sizeof(*in->row.cells)))) {
		r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		goto out;
	}
	in->cap = n;
	in->row.n = n;
	for (size_t i = 0; i < n; i++) {
		in->row.cells[i].name = names[i];
		in->row.cells[i].text = values[i];
		in->row.cells[i].kind = LF_RAW_TEXT;
	}
	if (!(r = write_row(in, entity, &outcome, id, err)) &&
	    !(r = lf_ingest_flush(in, err)))
		r = lf_store_commit(s, err);
	*sum = in->sum;
out:
	if (r) {
		lf_store_rollback(s);
		*id = 0;
	}
	lf_ingest_close(in);
	return r;
}
