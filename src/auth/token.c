/*
 * token.c - creating and checking API tokens (see token.h), and the
 * hashing they and the webhook signatures use (OpenSSL's libcrypto).
 */
#include "core/crypto.h"

#include <leadflow/token.h>

#include <inttypes.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool lf_token_split(const char *presented, int64_t *id, const char **secret)
{
	return lf_credential_split(presented, "lf", id, secret);
}

enum lf_result lf_token_create(struct lf_store *s, const char *name, enum lf_role role,
			       int64_t rep_id, const char *actor, struct lf_token *row,
			       char out[LF_TOKEN_MAX], struct lf_error *err)
{
	char secret[LF_SHA256_HEX], hash[LF_SHA256_HEX], subject[48];
	enum lf_result r;

	memset(row, 0, sizeof(*row));
	if (!name || !*name || strlen(name) > 63)
		return lf_error_field(err, LF_ERR_INPUT, "name",
				      "a token needs a name of 1 to 63 characters");
	if (role == LF_ROLE_SYSTEM)
		return lf_error_field(err, LF_ERR_INPUT, "role",
				      "'system' is leadflow's own role, not a token's");
	if ((role == LF_ROLE_REP) != (rep_id != 0))
		return lf_error_field(err, LF_ERR_INPUT, "rep",
				      role == LF_ROLE_REP ? "a rep token needs the rep it acts as"
							  : "only a rep token names a rep");
	if (!lf_random_secret(secret))
		return lf_error_set(err, LF_ERR_INTERNAL, "no random bytes for the token");
	lf_sha256_hex(secret, 64, hash);
	row->name = (char *)name;
	row->role = (char *)lf_role_name(role);
	row->rep_id = rep_id;
	row->hash = hash;
	if ((r = lf_store_begin(s, err)))
		goto out;
	if (!(r = lf_store_token_insert(s, row, err))) {
		snprintf(subject, sizeof(subject), "token:%" PRId64, row->id);
		r = lf_store_audit(s, actor, "token.create", subject, lf_role_name(role), err);
	}
	if (!r)
		r = lf_store_commit(s, err);
	if (r)
		lf_store_rollback(s);
	else
		snprintf(out, LF_TOKEN_MAX, "lf_%" PRId64 "_%s", row->id, secret);
out:
	row->name = row->role = row->hash = NULL;
	OPENSSL_cleanse(secret, sizeof(secret));
	return r;
}

enum lf_result lf_token_check(struct lf_store *s, const char *presented,
			      struct lf_principal *out, struct lf_error *err)
{
	struct lf_token t;
	struct lf_error ignored;
	const char *secret;
	char hash[LF_SHA256_HEX];
	int64_t id;
	enum lf_result r;
	bool ok;

	memset(out, 0, sizeof(*out));
	if (!lf_token_split(presented, &id, &secret))
		return lf_error_set(err, LF_ERR_AUTH, "the bearer token is not valid");
	r = lf_store_token_get(s, id, &t, &ignored);
	if (r == LF_ERR_NOT_FOUND)
		return lf_error_set(err, LF_ERR_AUTH, "the bearer token is not valid");
	if (r)
		return lf_error_set(err, r, "%s", ignored.msg);
	lf_sha256_hex(secret, 64, hash);
	ok = strlen(t.hash) == 64 && lf_equal_secret(hash, t.hash, 64) && !t.revoked_at &&
	     lf_role_parse(t.role, &out->role, &ignored) == LF_OK;
	if (ok) {
		out->token_id = t.id;
		out->rep_id = t.rep_id;
		snprintf(out->name, sizeof(out->name), "%s", t.name);
	}
	lf_token_release(&t);
	if (!ok)
		return lf_error_set(err, LF_ERR_AUTH, "the bearer token is not valid");
	return LF_OK;
}

enum lf_result lf_token_revoke(struct lf_store *s, int64_t id, const char *actor,
			       struct lf_error *err)
{
	char subject[48];
	enum lf_result r;
	if ((r = lf_store_begin(s, err)))
		return r;
	snprintf(subject, sizeof(subject), "token:%" PRId64, id);
	if (!(r = lf_store_token_revoke(s, id, lf_time_now(), err)))
		r = lf_store_audit(s, actor, "token.revoke", subject, NULL, err);
	if (!r)
		r = lf_store_commit(s, err);
	if (r)
		lf_store_rollback(s);
	return r;
}
