/*
 * capacity.c - the capacity report: per rep, what they carry, the hours
 * left and needed this week, their free slots, and the time a lead and an
 * opportunity cost in their team (measured or default); then per team.
 */
#include <leadflow/report.h>

#include "gate/capacity.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const headers[] = {
	"rep", "team", "away", "active", "opportunities", "weekly_hours", "max_active",
	"logged_hours", "hours_needed", "free_slots", "lead_minutes", "leads_measured",
	"opportunity_minutes", "opportunities_measured", "opportunity_days",
	"opportunities_closed"
};
#define NCOLS (sizeof(headers) / sizeof(headers[0]))

static void num(char *buf, size_t cap, double v, const char *fmt)
{
	if (isnan(v))
		buf[0] = 0;
	else
		snprintf(buf, cap, fmt, v);
}

enum lf_result lf_report_capacity(struct lf_store *s, const struct lf_report_filter *f,
				  struct lf_table *out, struct lf_error *err)
{
	struct lf_capacity_settings set;
	struct lf_capacity c;
	char cell[NCOLS][32];
	enum lf_result r;

	lf_table_init(out, NCOLS, headers, 0xFFF8u);
	lf_capacity_defaults(&set, lf_time_now());
	if ((r = lf_capacity_compute(s, &set, &c, err)))
		return r;
	for (size_t i = 0; i < c.nreps && !r; i++) {
		const struct lf_rep_capacity *rc = &c.reps[i];
		if (f->team && strcmp(f->team, rc->rep.team))
			continue;
		snprintf(cell[3], 32, "%d", rc->active);
		snprintf(cell[4], 32, "%d", rc->opportunities);
		num(cell[5], 32, rc->rep.weekly_hours, "%g");
		snprintf(cell[6], 32, "%d", rc->rep.max_active);
		num(cell[7], 32, rc->logged_hours, "%.1f");
		num(cell[8], 32, rc->hours_needed, "%.1f");
		snprintf(cell[9], 32, "%d", rc->free_slots);
		num(cell[10], 32, rc->team->lead_minutes, "%.1f");
		snprintf(cell[11], 32, "%d", rc->team->leads_measured);
		num(cell[12], 32, rc->team->opportunity_minutes, "%.1f");
		snprintf(cell[13], 32, "%d", rc->team->opportunities_measured);
		num(cell[14], 32, rc->opportunity_days, "%.1f");
		snprintf(cell[15], 32, "%d", rc->opportunities_closed);
		const char *row[NCOLS] = { rc->rep.name, rc->rep.team, rc->away ? "yes" : "no" };
		for (size_t k = 3; k < NCOLS; k++)
			row[k] = cell[k];
		r = lf_table_add(out, row);
	}
	for (size_t t = 0; t < c.nteams && !r; t++) {
		const struct lf_team_capacity *tc = &c.teams[t];
		char name[96];
		if (f->team && strcmp(f->team, tc->team))
			continue;
		snprintf(name, sizeof(name), "(team %s)", tc->team);
		snprintf(cell[9], 32, "%d", tc->free_slots);
		num(cell[10], 32, tc->lead_minutes, "%.1f");
		snprintf(cell[11], 32, "%d", tc->leads_measured);
		num(cell[12], 32, tc->opportunity_minutes, "%.1f");
		snprintf(cell[13], 32, "%d", tc->opportunities_measured);
		const char *row[NCOLS] = { name, tc->team, "", "", "", "", "", "", "", cell[9],
					   cell[10], cell[11], cell[12], cell[13], "", "" };
		r = lf_table_add(out, row);
	}
	lf_capacity_release(&c);
	return r ? lf_error_set(err, r, "out of memory") : LF_OK;
}
