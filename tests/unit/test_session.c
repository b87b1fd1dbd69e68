/*
 * test_session.c - signing in: a token opens a session, a link opens one
 * once and only before it expires, a session acts as its token and ends
 * with it, a closed session is refused, credentials of the wrong shape or
 * secret are refused without saying why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <leadflow/session.h>

#include <stdio.h>
#include <string.h>

struct fixture {
	struct lf_store *s;
	int64_t token_id;
	char token[LF_TOKEN_MAX];
};

static int setup(void **state)
{
	static struct fixture f;
	struct lf_error err;
	struct lf_token row;
	struct lf_rep rep = { .name = "Ana", .weekly_hours = 40, .max_active = 10 };
	memset(&f, 0, sizeof(f));
	assert_int_equal(lf_store_open("sqlite::memory:", &f.s, &err), LF_OK);
	assert_int_equal(lf_store_migrate(f.s, &err), LF_OK);
	assert_int_equal(lf_store_rep_insert(f.s, &rep, &err), LF_OK);
	assert_int_equal(lf_token_create(f.s, "ana's app", LF_ROLE_REP, rep.id, "test", &row,
					 f.token, &err), LF_OK);
	f.token_id = row.id;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	lf_store_close(f->s);
	return 0;
}

static void test_token_opens_a_session(void **state)
{
	struct fixture *f = *state;
	struct lf_session_opened o;
	struct lf_principal who;
	struct lf_error err;
	char csrf[LF_CSRF_MAX];
	int64_t id;

	assert_int_equal(lf_session_open(f->s, f->token, 60, &o, &err), LF_OK);
	assert_int_equal(strncmp(o.cookie, "ls_", 3), 0);
	assert_int_equal(strlen(o.csrf), 64);
	assert_int_equal(o.who.role, LF_ROLE_REP);
	assert_true(o.who.rep_id > 0);
	assert_int_equal(lf_session_check(f->s, o.cookie, lf_time_now(), &who, &id, csrf, &err),
			 LF_OK);
	assert_int_equal(id, o.session_id);
	assert_string_equal(csrf, o.csrf);
	assert_string_equal(who.name, "ana's app");
	assert_int_equal(who.rep_id, o.who.rep_id);
	/* past its end it is refused */
	assert_int_equal(lf_session_check(f->s, o.cookie, o.expires_at, &who, &id, csrf, &err),
			 LF_ERR_AUTH);
	/* a wrong secret, a link's prefix, garbage: refused alike */
	char bad[LF_SESSION_MAX];
	snprintf(bad, sizeof(bad), "%s", o.cookie);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == 'a' ? 'b' : 'a';
	assert_int_equal(lf_session_check(f->s, bad, lf_time_now(), &who, &id, csrf, &err),
			 LF_ERR_AUTH);
	assert_string_equal(err.msg, "the session is not valid");
	memcpy(bad, o.cookie, sizeof(bad));
	bad[1] = 'k';
	assert_int_equal(lf_session_check(f->s, bad, lf_time_now(), &who, &id, csrf, &err),
			 LF_ERR_AUTH);
	assert_int_equal(lf_session_check(f->s, "ls_1_zz", lf_time_now(), &who, &id, csrf, &err),
			 LF_ERR_AUTH);
	assert_int_equal(lf_session_check(f->s, NULL, lf_time_now(), &who, &id, csrf, &err),
			 LF_ERR_AUTH);
	/* signed out: refused, and a second sign-out is a conflict */
	assert_int_equal(lf_session_close(f->s, o.session_id, &err), LF_OK);
	assert_int_equal(lf_session_check(f->s, o.cookie, lf_time_now(), &who, &id, csrf, &err),
			 LF_ERR_AUTH);
	assert_int_equal(lf_session_close(f->s, o.session_id, &err), LF_ERR_CONFLICT);
}

static void test_link_opens_once(void **state)
{
	struct fixture *f = *state;
	struct lf_session_opened o, again;
	struct lf_principal who;
	struct lf_error err;
	char link[LF_SESSION_MAX], csrf[LF_CSRF_MAX];
	int64_t id;

	assert_int_equal(lf_session_link(f->s, f->token_id, 10, "make run", link, &err), LF_OK);
	assert_int_equal(strncmp(link, "lk_", 3), 0);
	/* a link is not a session */
	assert_int_equal(lf_session_check(f->s, link, lf_time_now(), &who, &id, csrf, &err),
			 LF_ERR_AUTH);
	assert_int_equal(lf_session_open(f->s, link, 60, &o, &err), LF_OK);
	assert_int_equal(o.who.token_id, f->token_id);
	assert_int_equal(lf_session_open(f->s, link, 60, &again, &err), LF_ERR_AUTH);
	assert_int_equal(again.cookie[0], 0);
	/* a link for a token that does not exist, or of no time */
	assert_int_equal(lf_session_link(f->s, f->token_id + 9, 10, "t", link, &err),
			 LF_ERR_NOT_FOUND);
	assert_int_equal(lf_session_link(f->s, f->token_id, 0, "t", link, &err), LF_ERR_INPUT);
	assert_string_equal(err.field, "minutes");
}

static void test_revoking_the_token_ends_its_sessions(void **state)
{
	struct fixture *f = *state;
	struct lf_session_opened o;
	struct lf_principal who;
	struct lf_error err;
	char link[LF_SESSION_MAX], csrf[LF_CSRF_MAX];
	int64_t id;

	assert_int_equal(lf_session_open(f->s, f->token, 60, &o, &err), LF_OK);
	assert_int_equal(lf_session_link(f->s, f->token_id, 10, "t", link, &err), LF_OK);
	assert_int_equal(lf_token_revoke(f->s, f->token_id, "test", &err), LF_OK);
	assert_int_equal(lf_session_check(f->s, o.cookie, lf_time_now(), &who, &id, csrf, &err),
			 LF_ERR_AUTH);
	assert_int_equal(lf_session_open(f->s, link, 60, &o, &err), LF_ERR_AUTH);
	assert_int_equal(lf_session_open(f->s, f->token, 60, &o, &err), LF_ERR_AUTH);
	assert_int_equal(lf_session_link(f->s, f->token_id, 10, "t", link, &err), LF_ERR_CONFLICT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_token_opens_a_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_opens_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revoking_the_token_ends_its_sessions, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
