/*
 * move.c - the one writer of transitions (see move.h). The lead is changed
 * in memory first, so that the outbox's copy of it and the stored row agree;
 * then the transition, the row, the SLA clock and the audit line are written
 * in that order inside the caller's transaction.
 */
#include "move/move.h"
#include <leadflow/config.h>
#include "notify/notify.h"

#include <stdio.h>

#define MINUTE 60000.0

/* The defaults are the settings table's (core/config.c), written once there. */
void lf_sla_terms_defaults(struct lf_sla_terms *t)
{
	struct lf_config c;
	lf_config_defaults(&c);
	lf_sla_from_config(&c, t);
}

void lf_sla_from_config(const struct lf_config *c, struct lf_sla_terms *t)
{
	*t = (struct lf_sla_terms){
		.due = (double)c->sla_minutes,
		.hand_raiser_due = (double)c->sla_hand_raiser_minutes,
		.reassign = (double)c->reassign_minutes,
		.hand_raiser_reassign = (double)c->reassign_hand_raiser_minutes,
	};
}

static enum lf_result start_clock(struct lf_store *s, const struct lf_lead *l,
				  const struct lf_sla_terms *terms, lf_time_ms at,
				  struct lf_error *err)
{
	struct lf_sla_terms d;
	bool hr = l->hand_raiser_at != 0;
	if (!terms) {
		lf_sla_terms_defaults(&d);
		terms = &d;
	}
	struct lf_assignment a = {
		.lead_id = l->id, .rep_id = l->owner_rep_id, .at = at, .hand_raiser = hr,
		.due_at = at + (lf_time_ms)((hr ? terms->hand_raiser_due : terms->due) * MINUTE),
		.reassign_at = at + (lf_time_ms)((hr ? terms->hand_raiser_reassign
						   : terms->reassign) * MINUTE),
	};
	return lf_store_assignment_add(s, &a, err);
}

enum lf_result lf_move_lead(struct lf_store *s, struct lf_lead *lead,
			    const struct lf_move *m, struct lf_transition *out,
			    struct lf_error *err)
{
	struct lf_transition t = { .lead_id = lead->id, .from = lead->stage, .to = m->to,
				   .actor = (char *)(m->actor ? m->actor : "system"),
				   .at = m->at ? m->at : lf_time_now(),
				   .undated = m->undated, .reason = (char *)m->reason, .rating = m->rating,
				   .note = (char *)m->note,
				   .model_version = m->model_version ? m->model_version
				   : lead->model_version };
	enum lf_move_row row = m->row;
	enum lf_result r = LF_OK;
	char subject[48];

	if (m->to == LF_STAGE_ASSIGNED && m->owner <= 0)
		return lf_error_field(err, LF_ERR_INPUT, "rep_id", "an assignment of lead %lld "
				      "needs the rep it goes to (rep_id)", (long long)lead->id);
	lead->stage = m->to;
	lead->updated_at = t.at;
	if (m->owner >= 0)
		lead->owner_rep_id = m->owner;
	t.owner_rep_id = lead->owner_rep_id;
	/* what the lead keeps of the move beyond its stage needs the whole row;
	 * a caller that writes the row itself keeps those fields itself */
	if (row != LF_MOVE_ROW_LATER && m->to == LF_STAGE_RECYCLED) {
		lead->recycled_at = t.at;
		row = LF_MOVE_ROW_ALL;
	}
	if (row != LF_MOVE_ROW_LATER && (m->to == LF_STAGE_DISQUALIFIED ||
					 (m->to == LF_STAGE_LEAD && lead->disq_reason))) {
		if (lf_set_str(&lead->disq_reason, m->to == LF_STAGE_DISQUALIFIED ? m->reason
			       : NULL))
			return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		row = LF_MOVE_ROW_ALL;
	}
	if ((r = lf_notify_transition(s, &t, lead, m->why, err)))
		return r;
	if (row == LF_MOVE_ROW_ALL)
		r = lf_store_lead_update(s, lead, err);
	else if (row == LF_MOVE_ROW_STAGE)
		r = lf_store_lead_move(s, lead->id, lead->stage, lead->owner_rep_id, NULL,
				       t.at, err);
	if (!r && (m->to == LF_STAGE_ASSIGNED || (m->clock && lead->owner_rep_id > 0)))
		r = start_clock(s, lead, m->sla, t.at, err);
	if (!r && m->audit) {
		snprintf(subject, sizeof(subject), "lead:%lld", (long long)lead->id);
		r = lf_store_audit(s, t.actor, m->audit, subject, m->audit_detail, err);
	}
	if (!r && out)
		*out = t;
	return r;
}
