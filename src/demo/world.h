/*
 * world.h - the demo generator's inside: it builds one lead's whole story
 * (the lead as it ends up, its events, touches and transitions) and hands it
 * to a sink, which writes it to a store or to files. Reps come first.
 */
#ifndef LF_DEMO_WORLD_H
#define LF_DEMO_WORLD_H

#include <leadflow/demo.h>

struct demo_touch {
	struct lf_touch t;
	int rep;                   /* index into the reps */
};

struct demo_story {
	struct lf_lead lead;       /* final state; owner_rep_id unset */
	int owner;                 /* rep index, -1 when nobody owns it */
	int sdr;                   /* the SDR who qualified it when an AE took it, or -1 */
	double p_sql, p_won;       /* the hidden truth */
	struct lf_event *events;
	size_t nevents;
	struct demo_touch *touches;
	size_t ntouches;
	struct lf_transition *trans;  /* owner_rep_id: the rep's index + 1 (0 nobody);
				       * the sink makes it the rep's id */
	size_t ntrans;
	struct lf_answer *answers; /* to the shipped model's questions; lead_id unset */
	size_t nanswers;
};

struct demo_sink {
	enum lf_result (*reps)(void *ctx, struct lf_rep *reps, size_t n,
			       struct lf_error *err);
	enum lf_result (*story)(void *ctx, struct demo_story *s, struct lf_error *err);
	/* marketing's spend of one day, channel and campaign, after the stories */
	enum lf_result (*spend)(void *ctx, const struct lf_spend *sp, struct lf_error *err);
	void *ctx;
};

enum lf_result demo_generate(const struct lf_demo_options *o, const struct demo_sink *sink,
			     struct lf_demo_stats *stats, struct lf_error *err);

#endif
