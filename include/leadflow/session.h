/*
 * session.h - signing in to the app (SPEC 2's roles, in a browser). A token
 * is exchanged once for a session: the browser keeps the session in an
 * HttpOnly cookie and sends its CSRF token with every state-changing
 * request. A one-time sign-in link ("lk_<id>_<secret>") opens a session
 * too, once, within minutes of being made. A session acts as the token it
 * was opened with: revoking the token ends its sessions; a session never
 * sees more than its token would.
 *
 * Secrets are 32 random bytes in hex; the store keeps only their SHA-256.
 * The strings written to the caller's arrays are the caller's.
 */
#ifndef LEADFLOW_SESSION_H
#define LEADFLOW_SESSION_H

#include <leadflow/token.h>

#define LF_SESSION_MAX LF_TOKEN_MAX   /* "ls_<id>_<64 hex>" or "lk_<id>_<64 hex>" */
#define LF_CSRF_MAX 65

/* A session just opened: the cookie's value, its CSRF token, who it acts as. */
struct lf_session_opened {
	char cookie[LF_SESSION_MAX];
	char csrf[LF_CSRF_MAX];
	int64_t session_id;
	lf_time_ms expires_at;
	struct lf_principal who;
};

/*
 * Makes a one-time sign-in link for token id, good for minutes, audited as
 * actor's; out gets "lk_<id>_<secret>" (shown once). LF_ERR_NOT_FOUND or
 * LF_ERR_CONFLICT (revoked) for the token. Its own transaction, or nested.
 */
enum lf_result lf_session_link(struct lf_store *s, int64_t token_id, int minutes,
			       const char *actor, char out[LF_SESSION_MAX], struct lf_error *err);

/*
 * Opens a session of minutes from a credential: an API token, or a sign-in
 * link (used up by it). LF_ERR_AUTH for anything not valid now (malformed,
 * unknown, revoked, expired, a link used already), without saying which.
 * Its own transaction, or nested.
 */
enum lf_result lf_session_open(struct lf_store *s, const char *credential, int minutes,
			       struct lf_session_opened *out, struct lf_error *err);

/*
 * Checks a session cookie's value as of now: who it acts as, its id and its
 * CSRF token. LF_ERR_AUTH when it is not a session open now (or its token
 * was revoked).
 */
enum lf_result lf_session_check(struct lf_store *s, const char *cookie, lf_time_ms now,
				struct lf_principal *who, int64_t *session_id,
				char csrf[LF_CSRF_MAX], struct lf_error *err);

/* Ends session id (sign-out); LF_ERR_CONFLICT when it had ended. */
enum lf_result lf_session_close(struct lf_store *s, int64_t id, struct lf_error *err);

#endif
