/*
 * fuzz_expr.c - libFuzzer target for the expression language: any bytes are
 * compiled as a fit rule and as an engagement rule, and what compiles is
 * evaluated against a lead and an event with fields of every type. The
 * compiler must refuse bad input with a message, never crash or leak.
 */
#include <leadflow/expr.h>

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct lf_lead lead;
	static struct lf_attrs props;
	static int ready;
	char *src = malloc(size + 1);
	struct lf_expr_error e;

	if (!src)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	if (!ready) {
		struct lf_value v = { .type = LF_VAL_STRING, .str = "/pricing" };
		lf_lead_init(&lead);
		lf_set_str(&lead.title, "VP Sales");
		lf_set_str(&lead.email, "ada@example.com");
		lead.employees = 120;
		lf_attrs_init(&props);
		lf_attrs_set(&props, "url", &v);
		v.type = LF_VAL_NUMBER;
		v.num = 3;
		lf_attrs_set(&lead.attrs, "visits", &v);
		v.type = LF_VAL_BOOL;
		v.b = true;
		lf_attrs_set(&lead.attrs, "opted_in", &v);
		ready = 1;
	}
	for (int scope = 0; scope < 2; scope++) {
		struct lf_expr *x;
		struct lf_expr_env env = { .lead = &lead, .now = 1790000000000 };
		if (scope == LF_SCOPE_EVENT) {
			env.event_type = "page_view";
			env.occurred_at = 1789000000000;
			env.props = &props;
		}
		if (lf_expr_compile(src, (enum lf_expr_scope)scope, &x, &e) == LF_OK) {
			struct lf_value v;
			if (lf_expr_eval(x, &env, &v) == LF_OK)
				lf_value_release(&v);
			(void)lf_expr_holds(x, &env);
			lf_expr_free(x);
		} else if (e.column < 1 || !e.msg[0]) {
			abort(); /* every refusal says where and what */
		}
	}
	free(src);
	return 0;
}
