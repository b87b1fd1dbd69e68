/*
 * sla.h - speed to lead (SPEC 6). An assignment starts a clock: the first
 * touch is due within sla_minutes (sla_hand_raiser_minutes for a
 * hand-raiser). Each run of the check closes the assignments that were
 * touched, records a breach once per assignment that is late (sla.breached
 * goes out), and gives a lead still untouched past reassign_minutes to
 * another rep of its pool with free slots (a transition by 'sla', audited,
 * a new clock). `report sla` reads the assignments back.
 */
#ifndef LF_GATE_SLA_H
#define LF_GATE_SLA_H

#include "gate/capacity.h"

/* (An assignment's clock is started by the move itself: move/move.h.) */

struct lf_sla_result {
	int checked, met, breached, reassigned, unassignable;
};

/* One check as of set->now, in one transaction. */
enum lf_result lf_sla_run(struct lf_store *s, const struct lf_capacity_settings *set,
			  struct lf_sla_result *out, struct lf_error *err);

#endif
