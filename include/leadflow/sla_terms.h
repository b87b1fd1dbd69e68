/*
 * sla_terms.h - the terms an assignment's clock runs on (SPEC 6): when the
 * first touch is due, and when an untouched lead goes to another rep. An
 * assignment carries its terms from the moment it is made.
 */
#ifndef LEADFLOW_SLA_TERMS_H
#define LEADFLOW_SLA_TERMS_H

/* The terms an assignment's clock runs on, in minutes. */
struct lf_sla_terms {
	double due, hand_raiser_due;             /* first touch due within: 240, 15 */
	double reassign, hand_raiser_reassign;   /* untouched past it, reassigned: 480, 60 */
};
/* The defaults of the settings table (leadflow/config.h). */
void lf_sla_terms_defaults(struct lf_sla_terms *t);
struct lf_config;
/* The terms a server's (or the CLI's) configuration gives. */
void lf_sla_from_config(const struct lf_config *c, struct lf_sla_terms *t);

#endif
