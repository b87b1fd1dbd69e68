/*
 * test_mapping.c - mapping files (what they accept, and the file:line:column
 * of everything they refuse), default column names, and cell conversion.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ingest/mapping.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char path[1024];

static const char *data(const char *name)
{
	snprintf(path, sizeof(path), "%s/mappings/%s", getenv("LF_TEST_DATA"), name);
	return path;
}

/* The error text after the directory part of the path. */
static const char *tail(const char *msg)
{
	const char *p = strstr(msg, "/mappings/");
	return p ? p + 10 : msg;
}

static void test_snake_case(void **state)
{
	struct { const char *in, *out; } cases[] = {
		{ "Lead Quality", "lead_quality" },
		{ "TotalVisits", "total_visits" },
		{ "Page Views Per Visit", "page_views_per_visit" },
		{ "Prospect ID", "prospect_id" },
		{ "  E-mail  Address ", "e_mail_address" },
		{ "How did you hear about X Education", "how_did_you_hear_about_x_education" },
		{ "utm_source", "utm_source" },
		{ "Número", "número" },
	};
	char buf[128];
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lf_snake_case(cases[i].in, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].out);
	}
}

static void test_good_mapping(void **state)
{
	struct lf_mapping m;
	struct lf_error err;
	struct lf_column_spec tmp;
	char name[64];
	const struct lf_column_spec *c;
	struct lf_value v;
	(void)state;

	assert_int_equal(lf_mapping_load(data("good.yaml"), LF_ENTITY_LEADS, &m, &err), LF_OK);
	assert_int_equal(m.ncols, 7);
	assert_int_equal(m.nmissing, 2);

	c = lf_mapping_column(&m, "Id", &tmp, name, sizeof(name), &err);
	assert_int_equal(c->target, LF_TARGET_FIELD);
	assert_string_equal(c->name, "external_id");

	c = lf_mapping_column(&m, "Visits", &tmp, name, sizeof(name), &err);
	assert_int_equal(c->target, LF_TARGET_EXTRA);
	assert_string_equal(c->name, "visits");
	assert_int_equal(lf_mapping_convert(&m, c, LF_RAW_TEXT, " 12.5 ", &v, &err), LF_OK);
	assert_int_equal(v.type, LF_VAL_NUMBER);
	assert_true(v.num == 12.5);
	assert_int_equal(lf_mapping_convert(&m, c, LF_RAW_TEXT, "Select", &v, &err), LF_OK);
	assert_int_equal(v.type, LF_VAL_NULL);
	assert_int_equal(lf_mapping_convert(&m, c, LF_RAW_TEXT, "ten", &v, &err), LF_ERR_INPUT);
	assert_string_equal(err.msg, "column 'Visits': bad number 'ten'");
	assert_string_equal(err.field, "Visits");

	c = lf_mapping_column(&m, "Opted Out", &tmp, name, sizeof(name), &err);
	assert_int_equal(lf_mapping_convert(&m, c, LF_RAW_TEXT, "Yes", &v, &err), LF_OK);
	assert_true(v.type == LF_VAL_BOOL && v.b);
	assert_int_equal(lf_mapping_convert(&m, c, LF_RAW_TEXT, "Perhaps", &v, &err),
			 LF_ERR_INPUT);
	assert_string_equal(err.msg, "column 'Opted Out': unknown value 'Perhaps': expected "
			    "one of 'Yes', 'No'");

	c = lf_mapping_column(&m, "Converted", &tmp, name, sizeof(name), &err);
	assert_int_equal(lf_mapping_convert(&m, c, LF_RAW_JSON_NUMBER, "1", &v, &err), LF_OK);
	assert_string_equal(v.str, "won");
	lf_value_release(&v);

	c = lf_mapping_column(&m, "Lead Quality", &tmp, name, sizeof(name), &err);
	assert_string_equal(c->name, "quality");
	assert_int_equal(lf_mapping_convert(&m, c, LF_RAW_TEXT, "Unknown", &v, &err), LF_OK);
	assert_int_equal(v.type, LF_VAL_NULL);

	c = lf_mapping_column(&m, "Internal Note", &tmp, name, sizeof(name), &err);
	assert_int_equal(c->target, LF_TARGET_SKIP);

	/* a column the mapping does not name: a core field by its name, else kept */
	c = lf_mapping_column(&m, "Company", &tmp, name, sizeof(name), &err);
	assert_int_equal(c->target, LF_TARGET_FIELD);
	assert_string_equal(c->name, "company");
	c = lf_mapping_column(&m, "Favourite Colour", &tmp, name, sizeof(name), &err);
	assert_int_equal(c->target, LF_TARGET_EXTRA);
	assert_string_equal(c->name, "favourite_colour");
	lf_mapping_release(&m);
}

static void expect_error(const char *file, enum lf_entity e, const char *want)
{
	struct lf_mapping m;
	struct lf_error err;
	assert_int_equal(lf_mapping_load(data(file), e, &m, &err), LF_ERR_INPUT);
	assert_string_equal(tail(err.msg), want);
}

static void test_mapping_errors(void **state)
{
	(void)state;
	expect_error("unknown_key.yaml", LF_ENTITY_LEADS,
		     "unknown_key.yaml:4:26: unknown key 'colour': expected field, name, "
		     "type, values, skip, thousands, decimal or order");
	expect_error("unknown_field.yaml", LF_ENTITY_LEADS,
		     "unknown_field.yaml:2:7: unknown field 'external_ident': expected one "
		     "of external_id, email, name, first_name, last_name, company, title, "
		     "country, industry, source, campaign, employees, created_at, stage, "
		     "disq_reason, rating, owner, opened_at, stage_at, attributes, attribute, skip");
	expect_error("bad_type.yaml", LF_ENTITY_LEADS,
		     "bad_type.yaml:3:11: unknown type 'integer': expected string, number, "
		     "boolean or date");
	expect_error("bad_value.yaml", LF_ENTITY_LEADS,
		     "bad_value.yaml:2:46: 'maybe' is not a boolean: expected true or false");
	expect_error("wrong_entity.yaml", LF_ENTITY_LEADS,
		     "wrong_entity.yaml:1:9: this mapping is for events, not leads");
	expect_error("bad_stage.yaml", LF_ENTITY_LEADS,
		     "bad_stage.yaml:2:43: unknown stage 'closed_won': expected lead, mql, "
		     "assigned, sal, sql, opportunity, won, lost, recycled or disqualified");
	expect_error("no_columns.yaml", LF_ENTITY_LEADS,
		     "no_columns.yaml:1:1: a mapping needs 'columns'");
	expect_error("bad_yaml.yaml", LF_ENTITY_LEADS,
		     "bad_yaml.yaml:3:9: mapping values are not allowed in this context");
	expect_error("nope.yaml", LF_ENTITY_LEADS, "nope.yaml': no such file");
	expect_error("two_columns_one_field.yaml", LF_ENTITY_LEADS,
		     "two_columns_one_field.yaml:4:3: columns 'E-mail' (line 3) and 'Work Email' "
		     "both map to field 'email': map one of them elsewhere (skip, or an "
		     "attribute with name:)");
	expect_error("field_type_clash.yaml", LF_ENTITY_LEADS,
		     "field_type_clash.yaml:4:3: column 'campaign' is named like the field "
		     "'campaign', which holds text, but is typed numbers: keep it as an "
		     "attribute under another name (name: campaign_value), or drop the type");
	expect_error("attribute_named_field.yaml", LF_ENTITY_LEADS,
		     "attribute_named_field.yaml:4:17: 'campaign' is a field of leads: an "
		     "attribute of that name would never be read; choose another name");
}

static void test_touches_reject_unknown_columns(void **state)
{
	struct lf_mapping m;
	struct lf_error err;
	struct lf_column_spec tmp;
	char name[64];
	(void)state;
	lf_mapping_default(LF_ENTITY_TOUCHES, &m);
	assert_non_null(lf_mapping_column(&m, "minutes", &tmp, name, sizeof(name), &err));
	assert_null(lf_mapping_column(&m, "Mood", &tmp, name, sizeof(name), &err));
	assert_string_equal(err.msg, "unknown field 'Mood': touches do not have it");
	assert_string_equal(err.field, "Mood");
	m.path = strdup("touches.yaml"); /* from a file, the message says how to fix it */
	assert_null(lf_mapping_column(&m, "Mood", &tmp, name, sizeof(name), &err));
	assert_string_equal(err.msg, "column 'Mood' is not a field of touches: map it in "
			    "the mapping file or mark it skip");
	lf_mapping_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snake_case),
		cmocka_unit_test(test_good_mapping),
		cmocka_unit_test(test_mapping_errors),
		cmocka_unit_test(test_touches_reject_unknown_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
