/*
 * token.h - API tokens. A token reads "lf_<id>_<secret>": the id finds the
 * stored row, the secret (32 random bytes, hex) is checked against the
 * stored SHA-256 of it in constant time. The secret is shown once, at
 * creation, and never stored.
 */
#ifndef LEADFLOW_TOKEN_H
#define LEADFLOW_TOKEN_H

#include <leadflow/roles.h>

#include <leadflow/store.h>

#define LF_TOKEN_MAX 96          /* "lf_" + id + "_" + 64 hex digits, with room */

/* Who a request acts as. */
struct lf_principal {
	int64_t token_id;
	char name[64];
	enum lf_role role;
	int64_t rep_id;          /* a rep token's rep, else 0 */
};


/* Revokes token id as of now and audits it as actor's (its own transaction, or nested). */
enum lf_result lf_token_revoke(struct lf_store *s, int64_t id, const char *actor,
			       struct lf_error *err);

/*
 * Creates a token for role (a rep token needs rep_id) and writes the
 * whole token, to show once, in out. Audited.
 */
enum lf_result lf_token_create(struct lf_store *s, const char *name, enum lf_role role,
			       int64_t rep_id, const char *actor, struct lf_token *row,
			       char out[LF_TOKEN_MAX], struct lf_error *err);

/*
 * Checks a presented token: LF_ERR_AUTH for a malformed, unknown, wrong or
 * revoked one (the message does not say which, to give nothing away).
 */
enum lf_result lf_token_check(struct lf_store *s, const char *presented,
			      struct lf_principal *out, struct lf_error *err);

/* Splits "lf_<id>_<secret>"; false when it is not of that shape. */
bool lf_token_split(const char *presented, int64_t *id, const char **secret);

#endif
