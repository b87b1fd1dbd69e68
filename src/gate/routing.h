/*
 * routing.h - the routing file sales managers own: ordered rules, first
 * match wins, each a condition in the expression language and the pool a
 * matching lead goes to. Inside a pool the gate gives the lead to the rep
 * with the most free slots (ties: the one assigned least recently); a rep
 * is in a pool when the pool is one of their pools or their team. A lead no
 * rule takes goes to the managers' queue.
 *
 *   rules:
 *     - name: enterprise
 *       when: employees >= 1000
 *       pool: enterprise
 *     - name: everyone else        # no 'when': every lead
 *       pool: general
 *
 * Without a routing file every lead goes to one pool holding every rep.
 */
#ifndef LF_GATE_ROUTING_H
#define LF_GATE_ROUTING_H

#include <leadflow/expr.h>
#include <leadflow/gate.h>

struct lf_route_rule {
	char *name;
	char *when_src;           /* NULL: every lead */
	struct lf_expr *when;
	char *pool;
};

struct lf_routing {
	struct lf_route_rule *rules;
	size_t n;
	bool everyone;            /* no file: one pool of every rep */
};

/*
 * Reads a routing file from text (path names it in messages). Every
 * problem goes to problems (one a line, path:line:column: what); err gets
 * the first. LF_ERR_INPUT when there is one.
 */
enum lf_result lf_routing_parse(const char *path, const char *text, struct lf_routing *out,
				struct lf_buf *problems, struct lf_error *err);
/* The routing in force in s (everyone's when none was set). */
enum lf_result lf_routing_load(struct lf_store *s, struct lf_routing *routing,
			       struct lf_error *err);
/* The routing of every lead to one pool of every rep. */
void lf_routing_everyone(struct lf_routing *out);
void lf_routing_release(struct lf_routing *r);

/* The pool for lead at now, or NULL when no rule takes it. */
const char *lf_routing_pool(const struct lf_routing *r, const struct lf_lead *lead,
			    lf_time_ms now);
/* Whether a rep of team and pools (comma-separated) is in pool. */
bool lf_routing_in_pool(const char *pool, const char *team, const char *pools);

#endif
