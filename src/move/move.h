/*
 * move.h - the one door through which a lead changes stage. Every writer
 * of a transition (the lifecycle's actions, the gate, the SLA check, the
 * import, scoring's automatic moves) calls lf_move_lead, so a move always
 * has the same side effects, in the caller's transaction:
 *
 *   - the transition is appended (the store refuses to change one) and what
 *     it causes is queued in the outbox (notify.h);
 *   - the lead's stage, owner and time are set, and a disqualification's
 *     reason, a rejection's time are kept on the lead;
 *   - a move to 'assigned' names a rep and starts the SLA clock of that
 *     assignment (SPEC 6), on the terms the caller gives (so does an SQL's
 *     handoff to an account executive, on the handoff's terms);
 *   - the transition records who holds the lead after it;
 *   - an audited move writes its line to the audit trail.
 *
 * This layer sits below scoring (scoring's automatic moves use it) and
 * above notify and the store; it knows nothing of roles or reason lists,
 * which lifecycle.c checks before it comes here.
 */
#ifndef LF_MOVE_MOVE_H
#define LF_MOVE_MOVE_H

#include <leadflow/sla_terms.h>
#include <leadflow/store.h>

/* Which of the lead's columns the door writes. */
enum lf_move_row {
	LF_MOVE_ROW_STAGE,   /* stage, owner and time (every other field unchanged) */
	LF_MOVE_ROW_ALL,     /* every field of the lead (the caller changed others too) */
	LF_MOVE_ROW_LATER,   /* none: the caller writes the row itself in the same
			      * transaction (the gate batches its rows; an import has
			      * written the row the file gives); only the lead's stage,
			      * owner and time change in memory */
};

struct lf_move {
	enum lf_stage to;
	const char *actor;       /* who, as recorded on the transition */
	lf_time_ms at;           /* 0: now */
	bool undated;            /* at stands for a date the writer does not know */
	const char *reason;      /* reason code or NULL */
	int rating;              /* 1-5, 0 when none */
	const char *note;
	const char *why;         /* what the reason tells the other team (the model's
				  * why for its rule or code), for the webhook's
				  * payload; not stored */
	int model_version;       /* 0: the lead's */
	int64_t owner;           /* to assigned: the rep (required); otherwise -1 keeps
				  * the owner, 0 clears it, > 0 sets it */
	const struct lf_sla_terms *sla;  /* to assigned: the clock's terms (NULL: defaults) */
	bool clock;              /* start an SLA clock for the new owner though the move
				  * is not to assigned (an SQL handed to an AE), on sla */
	const char *audit;       /* an audit action ("lead.reassign"), or NULL */
	const char *audit_detail;  /* its JSON detail, or NULL */
	enum lf_move_row row;
};

/*
 * Moves lead (as it is now; updated in place to what it becomes) by m, inside
 * the caller's transaction. Errors: LF_ERR_INPUT with field rep_id when a
 * move to assigned names no rep, the store's errors otherwise. t, when not
 * NULL, receives the transition as written (its strings borrowed from m).
 */
enum lf_result lf_move_lead(struct lf_store *s, struct lf_lead *lead,
			    const struct lf_move *m, struct lf_transition *t,
			    struct lf_error *err);

#endif
