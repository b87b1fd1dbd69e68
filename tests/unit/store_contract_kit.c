/*
 * store_contract_kit.c - what the store contract's case files share
 * (store_contract.h): the factory in use, a case's setup and teardown, and
 * the lead most cases start from.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_contract.h"

static store_factory factory;

void contract_use(store_factory f)
{
	factory = f;
}

int contract_setup(void **state)
{
	*state = factory();
	return *state ? 0 : -1;
}

int contract_teardown(void **state)
{
	lf_store_close(*state);
	return 0;
}

void contract_make_lead(struct lf_lead *l, const char *ext, const char *email)
{
	struct lf_value v = { .type = LF_VAL_NUMBER, .num = 42 };
	lf_lead_init(l);
	assert_int_equal(lf_set_str(&l->external_id, ext), LF_OK);
	assert_int_equal(lf_set_str(&l->email, email), LF_OK);
	assert_int_equal(lf_set_str(&l->name, "Ada Lovelace"), LF_OK);
	assert_int_equal(lf_set_str(&l->source, "webinar"), LF_OK);
	l->employees = 250;
	l->created_at = 1700000000000;
	l->updated_at = 1700000000000;
	assert_int_equal(lf_attrs_set(&l->attrs, "visits", &v), LF_OK);
	v.type = LF_VAL_BOOL;
	v.b = true;
	assert_int_equal(lf_attrs_set(&l->attrs, "do_not_call", &v), LF_OK);
	v.type = LF_VAL_STRING;
	v.str = "High";
	assert_int_equal(lf_attrs_set(&l->attrs, "quality", &v), LF_OK);
}

int64_t contract_lead(struct lf_store *s, const char *ext, const char *email)
{
	struct lf_lead l;
	struct lf_error err;
	contract_make_lead(&l, ext, email);
	assert_int_equal(lf_store_lead_insert(s, &l, &err), LF_OK);
	assert_true(l.id > 0);
	int64_t id = l.id;
	lf_lead_release(&l);
	return id;
}
