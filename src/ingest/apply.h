/*
 * apply.h - writes prepared records to the store: leads upserted by
 * external id, else email (unchanged rows left alone); events idempotent on
 * their id (an event of an unknown email creates its lead); touches
 * idempotent on their key. Lead and rep lookups go through in-memory caches
 * so that a million events for a hundred thousand leads cost a hundred
 * thousand indexed reads, not a million. With a live scorer, every lead
 * written and every new event is scored in the same transaction.
 */
#ifndef LF_INGEST_APPLY_H
#define LF_INGEST_APPLY_H

#include "core/strmap.h"
#include "ingest/record.h"
#include "score/live.h"

#include <leadflow/import.h>

/* How far ahead of the receiving clock an event may be dated (clocks drift). */
#define LF_EVENT_AHEAD_MS (24 * 3600000LL)

struct lf_applier {
	struct lf_store *s;
	struct lf_import_summary *sum;
	lf_time_ms now;          /* the time the import records for its changes */
	struct lf_strmap leads;  /* "x:<external id>" or "e:<email>" -> id, 0 absent */
	struct lf_strmap reps;   /* rep name -> rep id */
	struct lf_strmap spent;  /* "day|channel|campaign" -> its index in spend */
	struct lf_spend *spend;  /* the rows' spend added up by key, until flushed */
	size_t nspend, spend_cap;
	struct lf_live *live;    /* scores what is written, or NULL */
	const char *actor;       /* recorded on stage changes; "import" by default */
	int64_t adder_rep_id;    /* the rep adding the rows, 0 none: owns the sales-sourced */
	bool reps_known;         /* a rep a row names must exist (single rows: the
				  * CLI and the API); else a file's new names become reps */
};

void lf_applier_init(struct lf_applier *a, struct lf_store *s,
		     struct lf_import_summary *sum);
void lf_applier_release(struct lf_applier *a);

/*
 * Writes rec and counts it in the summary. Row-level failures (unknown lead,
 * duplicate event id with other content, a taken email) are LF_ERR_INPUT,
 * LF_ERR_CONFLICT or LF_ERR_NOT_FOUND with the reason in err; nothing of
 * the record is written then.
 */
enum lf_result lf_apply_record(struct lf_applier *a, struct lf_record *rec,
			       struct lf_error *err);

/*
 * An event record in three steps, so that a file's events can be stored
 * many at a time (lf_store_event_insert_many) between the first and the
 * last: prepare checks its date and finds (or makes) its lead; insert
 * stores it alone; stored counts one that was stored (inserted: new) and
 * scores it, or checks that an old one has the same content.
 * lf_apply_record is prepare, then insert.
 */
enum lf_result lf_apply_event_prepare(struct lf_applier *a, struct lf_record *rec,
				      struct lf_error *err);
enum lf_result lf_apply_event_insert(struct lf_applier *a, struct lf_record *rec,
				     struct lf_error *err);
enum lf_result lf_apply_event_stored(struct lf_applier *a, struct lf_record *rec,
				     bool inserted, struct lf_error *err);

/*
 * Writes the spend the records gave since the last flush: each (day,
 * channel, campaign) the sum of its rows, replacing what was stored, and
 * counted once (inserted, updated or unchanged).
 */
enum lf_result lf_apply_spend_flush(struct lf_applier *a, struct lf_error *err);

/* Writes a lead record over the stored lead id, whatever keys it names. */
enum lf_result lf_apply_lead_update(struct lf_applier *a, int64_t id, struct lf_record *rec,
				    struct lf_error *err);

#endif
