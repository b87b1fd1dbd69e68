/*
 * types.c - life cycle of the entity structs, the stage names, and the
 * table of a lead's text fields that import mappings and output share.
 */
#include <leadflow/types.h>

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const stage_names[LF_STAGE_COUNT] = {
	"lead", "mql", "assigned", "sal", "sql", "opportunity",
	"won", "lost", "recycled", "disqualified",
};

bool lf_stage_open(enum lf_stage s)
{
	return s != LF_STAGE_WON && s != LF_STAGE_LOST && s != LF_STAGE_DISQUALIFIED;
}

bool lf_source_is_sales(const char *source)
{
	return source && !strcmp(source, LF_SOURCE_SALES);
}

const char *lf_stage_name(enum lf_stage s)
{
	return (unsigned)s < LF_STAGE_COUNT ? stage_names[s] : NULL;
}

enum lf_result lf_stage_parse(const char *name, enum lf_stage *out,
			      struct lf_error *err)
{
	for (int i = 0; i < LF_STAGE_COUNT; i++)
		if (!strcmp(name, stage_names[i])) {
			*out = (enum lf_stage)i;
			return LF_OK;
		}
	return lf_error_set(err, LF_ERR_INPUT,
			    "unknown stage '%s': expected lead, mql, assigned, sal, "
			    "sql, opportunity, won, lost, recycled or disqualified",
			    name);
}

static const char *const tier_names[LF_TIER_COUNT] = { "sdr", "ae" };

const char *lf_tier_name(enum lf_tier t)
{
	return (unsigned)t < LF_TIER_COUNT ? tier_names[t] : NULL;
}

enum lf_result lf_tier_parse(const char *name, const char *field, enum lf_tier *out,
			     struct lf_error *err)
{
	for (int i = 0; i < LF_TIER_COUNT; i++)
		if (name && !strcmp(name, tier_names[i])) {
			*out = (enum lf_tier)i;
			return LF_OK;
		}
	return lf_error_field(err, LF_ERR_INPUT, field, "unknown tier '%s': expected sdr "
			      "(inside sales) or ae (account executive)", name ? name : "");
}

#define TEXT_FIELD(m) { #m, offsetof(struct lf_lead, m) }
const struct lf_lead_text_field lf_lead_text_fields[] = {
	TEXT_FIELD(external_id), TEXT_FIELD(email), TEXT_FIELD(name),
	TEXT_FIELD(company), TEXT_FIELD(title), TEXT_FIELD(country),
	TEXT_FIELD(industry), TEXT_FIELD(source), TEXT_FIELD(campaign),
	TEXT_FIELD(disq_reason),
};
const size_t lf_lead_text_field_count =
	sizeof(lf_lead_text_fields) / sizeof(lf_lead_text_fields[0]);

char **lf_lead_text(struct lf_lead *lead, const char *name)
{
	for (size_t i = 0; i < lf_lead_text_field_count; i++)
		if (!strcmp(lf_lead_text_fields[i].name, name))
			return (char **)((char *)lead + lf_lead_text_fields[i].offset);
	return NULL;
}

static char *const *lead_text_at(const struct lf_lead *lead, size_t i)
{
	return (char *const *)((const char *)lead + lf_lead_text_fields[i].offset);
}

void lf_lead_init(struct lf_lead *lead)
{
	memset(lead, 0, sizeof(*lead));
	lead->employees = NAN;
	lead->stage = LF_STAGE_LEAD;
	lf_attrs_init(&lead->attrs);
}

void lf_lead_release(struct lf_lead *lead)
{
	if (!lead)
		return;
	for (size_t i = 0; i < lf_lead_text_field_count; i++)
		free(*lead_text_at(lead, i));
	lf_attrs_release(&lead->attrs);
	lf_lead_init(lead);
}

enum lf_result lf_set_str(char **member, const char *value)
{
	char *copy = NULL;
	if (value && !(copy = strdup(value)))
		return LF_ERR_NOMEM;
	free(*member);
	*member = copy;
	return LF_OK;
}

bool lf_email_normalise(char *email)
{
	size_t len = strlen(email), start = 0;

	while (len && isspace((unsigned char)email[len - 1]))
		len--;
	while (start < len && isspace((unsigned char)email[start]))
		start++;
	memmove(email, email + start, len - start);
	email[len - start] = '\0';
	for (char *p = email; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return strchr(email, '@') && email[0] != '@';
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static bool num_eq(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

bool lf_lead_same_content(const struct lf_lead *a, const struct lf_lead *b)
{
	for (size_t i = 0; i < lf_lead_text_field_count; i++)
		if (!str_eq(*lead_text_at(a, i), *lead_text_at(b, i)))
			return false;
	return num_eq(a->employees, b->employees) && a->stage == b->stage &&
	       a->owner_rep_id == b->owner_rep_id && num_eq(a->fit, b->fit) &&
	       num_eq(a->engagement, b->engagement) && num_eq(a->total, b->total) &&
	       a->model_version == b->model_version &&
	       a->hand_raiser_at == b->hand_raiser_at && a->recycled_at == b->recycled_at &&
	       lf_attrs_equal(&a->attrs, &b->attrs);
}

enum lf_result lf_lead_copy(struct lf_lead *dst, const struct lf_lead *src)
{
	struct lf_attrs attrs;

	*dst = *src;
	lf_attrs_init(&dst->attrs);
	for (size_t i = 0; i < lf_lead_text_field_count; i++) {
		char **m = (char **)((char *)dst + lf_lead_text_fields[i].offset);
		*m = NULL;
	}
	for (size_t i = 0; i < lf_lead_text_field_count; i++) {
		char **m = (char **)((char *)dst + lf_lead_text_fields[i].offset);
		if (lf_set_str(m, *lead_text_at(src, i)))
			goto nomem;
	}
	if (lf_attrs_copy(&attrs, &src->attrs))
		goto nomem;
	dst->attrs = attrs;
	return LF_OK;
nomem:
	lf_lead_release(dst);
	return LF_ERR_NOMEM;
}

void lf_event_release(struct lf_event *e)
{
	if (!e)
		return;
	free(e->id);
	free(e->type);
	free(e->properties);
	memset(e, 0, sizeof(*e));
}

void lf_touch_release(struct lf_touch *t)
{
	if (!t)
		return;
	free(t->key);
	free(t->kind);
	free(t->outcome);
	memset(t, 0, sizeof(*t));
}

void lf_answer_release(struct lf_answer *a)
{
	if (!a)
		return;
	free(a->question);
	free(a->value);
	free(a->actor);
	memset(a, 0, sizeof(*a));
}

void lf_transition_release(struct lf_transition *t)
{
	if (!t)
		return;
	free(t->actor);
	free(t->reason);
	free(t->note);
	memset(t, 0, sizeof(*t));
}

bool lf_rep_away_at(const struct lf_rep *r, lf_time_ms t)
{
	return r->away || (r->away_from && t >= r->away_from && (!r->away_to || t < r->away_to));
}

void lf_rep_release(struct lf_rep *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->team);
	free(r->pools);
	memset(r, 0, sizeof(*r));
}

void lf_model_release(struct lf_model *m)
{
	if (!m)
		return;
	free(m->name);
	free(m->text);
	free(m->status);
	memset(m, 0, sizeof(*m));
}

void lf_token_release(struct lf_token *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->role);
	free(t->hash);
	memset(t, 0, sizeof(*t));
}

void lf_webhook_release(struct lf_webhook *w)
{
	if (!w)
		return;
	free(w->url);
	free(w->secret);
	free(w->types);
	memset(w, 0, sizeof(*w));
}

void lf_delivery_release(struct lf_delivery *d)
{
	if (!d)
		return;
	free(d->url);
	free(d->secret);
	free(d->type);
	free(d->data);
	free(d->status);
	free(d->last_error);
	memset(d, 0, sizeof(*d));
}
