/*
 * session.c - sessions and one-time sign-in links (leadflow/session.h).
 * Both are rows of the store's sessions table acting as a token; the
 * credential a browser holds is "<ls|lk>_<row id>_<secret>", and only the
 * SHA-256 of the secret is stored, as for tokens.
 */
#include <leadflow/session.h>

#include "core/crypto.h"

#include <inttypes.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#define MINUTE_MS 60000LL

/* A new row for token_id (link or session) and its credential in out. */
static enum lf_result insert(struct lf_store *s, int64_t token_id, bool link, int minutes,
			     struct lf_session *x, char out[LF_SESSION_MAX], struct lf_error *err)
{
	char secret[LF_SHA256_HEX];
	enum lf_result r;
	memset(x, 0, sizeof(*x));
	if (minutes < 1 || minutes > 60 * 24 * 30)
		return lf_error_field(err, LF_ERR_INPUT, "minutes",
				      "a session or link lasts 1 minute to 30 days, got %d", minutes);
	if (!lf_random_secret(secret) || !lf_random_secret(x->csrf))
		return lf_error_set(err, LF_ERR_INTERNAL, "no random bytes for the session");
	lf_sha256_hex(secret, 64, x->hash);
	x->token_id = token_id;
	x->link = link;
	x->created_at = lf_time_now();
	x->expires_at = x->created_at + minutes * MINUTE_MS;
	if (!(r = lf_store_session_insert(s, x, err)))
		snprintf(out, LF_SESSION_MAX, "%s_%" PRId64 "_%s", link ? "lk" : "ls", x->id, secret);
	OPENSSL_cleanse(secret, sizeof(secret));
	return r;
}

/* The principal of token id, LF_ERR_AUTH when it is revoked or gone. */
static enum lf_result principal_of(struct lf_store *s, int64_t id, struct lf_principal *who,
				   struct lf_error *err)
{
	struct lf_token t;
	struct lf_error ignored;
	enum lf_result r = lf_store_token_get(s, id, &t, &ignored);
	if (r == LF_ERR_NOT_FOUND)
		return lf_error_set(err, LF_ERR_AUTH, "the session is not valid");
	if (r)
		return lf_error_set(err, r, "%s", ignored.msg);
	memset(who, 0, sizeof(*who));
	if (t.revoked_at || lf_role_parse(t.role, &who->role, &ignored))
		r = lf_error_set(err, LF_ERR_AUTH, "the session is not valid");
	who->token_id = t.id;
	who->rep_id = t.rep_id;
	snprintf(who->name, sizeof(who->name), "%s", t.name);
	lf_token_release(&t);
	return r;
}

/* The row a credential names, checked as of now; LF_ERR_AUTH when not valid. */
static enum lf_result find(struct lf_store *s, const char *credential, bool link,
			   lf_time_ms now, struct lf_session *x, struct lf_error *err)
{
	const char *secret;
	char hash[LF_SHA256_HEX];
	struct lf_error ignored;
	int64_t id;
	enum lf_result r;
	if (!credential || !lf_credential_split(credential, link ? "lk" : "ls", &id, &secret))
		return lf_error_set(err, LF_ERR_AUTH, "the session is not valid");
	r = lf_store_session_get(s, id, x, &ignored);
	if (r == LF_ERR_NOT_FOUND)
		return lf_error_set(err, LF_ERR_AUTH, "the session is not valid");
	if (r)
		return lf_error_set(err, r, "%s", ignored.msg);
	lf_sha256_hex(secret, 64, hash);
	if (x->link != link || strlen(x->hash) != 64 || !lf_equal_secret(hash, x->hash, 64) ||
	    x->ended_at || now >= x->expires_at)
		return lf_error_set(err, LF_ERR_AUTH, "the session is not valid");
	return LF_OK;
}

enum lf_result lf_session_link(struct lf_store *s, int64_t token_id, int minutes,
			       const char *actor, char out[LF_SESSION_MAX], struct lf_error *err)
{
	struct lf_token t;
	struct lf_session x;
	char subject[48];
	enum lf_result r;
	if ((r = lf_store_token_get(s, token_id, &t, err)))
		return r;
	r = t.revoked_at ? lf_error_set(err, LF_ERR_CONFLICT, "token %" PRId64 " is revoked",
					token_id) : LF_OK;
	lf_token_release(&t);
	if (r || (r = lf_store_begin(s, err)))
		return r;
	snprintf(subject, sizeof(subject), "token:%" PRId64, token_id);
	if (!(r = insert(s, token_id, true, minutes, &x, out, err)))
		r = lf_store_audit(s, actor, "session.link", subject, NULL, err);
	if (!r)
		r = lf_store_commit(s, err);
	if (r) {
		lf_store_rollback(s);
		out[0] = 0;
	}
	return r;
}

enum lf_result lf_session_open(struct lf_store *s, const char *credential, int minutes,
			       struct lf_session_opened *out, struct lf_error *err)
{
	struct lf_session x;
	struct lf_error ignored;
	enum lf_result r;
	memset(out, 0, sizeof(*out));
	if ((r = lf_store_begin(s, err)))
		return r;
	if (credential && !strncmp(credential, "lf_", 3)) {
		r = lf_token_check(s, credential, &out->who, err);
	} else if (!(r = find(s, credential, true, lf_time_now(), &x, err)) &&
		   !(r = principal_of(s, x.token_id, &out->who, err))) {
		r = lf_store_session_end(s, x.id, lf_time_now(), &ignored);
		if (r == LF_ERR_CONFLICT)   /* used a moment ago, elsewhere */
			r = lf_error_set(err, LF_ERR_AUTH, "the session is not valid");
		else if (r)
			lf_error_set(err, r, "%s", ignored.msg);
	}
	if (!r && !(r = insert(s, out->who.token_id, false, minutes, &x, out->cookie, err))) {
		memcpy(out->csrf, x.csrf, sizeof(out->csrf));
		out->session_id = x.id;
		out->expires_at = x.expires_at;
	}
	if (!r)
		r = lf_store_commit(s, err);
	if (r) {
		lf_store_rollback(s);
		memset(out, 0, sizeof(*out));
	}
	return r;
}

enum lf_result lf_session_check(struct lf_store *s, const char *cookie, lf_time_ms now,
				struct lf_principal *who, int64_t *session_id,
				char csrf[LF_CSRF_MAX], struct lf_error *err)
{
	struct lf_session x;
	enum lf_result r;
	memset(who, 0, sizeof(*who));
	if ((r = find(s, cookie, false, now, &x, err)) || (r = principal_of(s, x.token_id, who, err)))
		return r;
	*session_id = x.id;
	memcpy(csrf, x.csrf, LF_CSRF_MAX);
	return LF_OK;
}

enum lf_result lf_session_close(struct lf_store *s, int64_t id, struct lf_error *err)
{
	return lf_store_session_end(s, id, lf_time_now(), err);
}
