/*
 * cdp.c - a CDP call (Segment / RudderStack) as leads and events (cdp.h).
 */
#include <leadflow/cdp.h>
#include <leadflow/json.h>
#include <leadflow/time.h>
#include "core/crypto.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct call {
	struct lf_ingest *in;
	struct lf_store *s;
	json_t *j;
	const char *type;
	char message_id[160];
	char user_id[160], anonymous_id[160];
	lf_time_ms at, received;
};

/* A member that names someone: a string, or a number as its text; "" when absent. */
static enum lf_result id_member(json_t *j, const char *name, char *out, size_t cap,
				struct lf_error *err)
{
	json_t *v = json_object_get(j, name);
	*out = '\0';
	if (!v || json_is_null(v))
		return LF_OK;
	if (json_is_string(v))
		snprintf(out, cap, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(out, cap, "%lld", (long long)json_integer_value(v));
	else
		return lf_error_field(err, LF_ERR_INPUT, name, "'%s' must be a string", name);
	if (json_is_string(v) && strlen(json_string_value(v)) >= cap)
		return lf_error_field(err, LF_ERR_INPUT, name, "'%s' is longer than %zu "
				      "characters", name, cap - 1);
	return LF_OK;
}

static const char *text_of(json_t *j, const char *name)
{
	json_t *v = json_object_get(j, name);
	return json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

static enum lf_result time_member(const char *name, const char *text, lf_time_ms *out,
				  struct lf_error *err)
{
	if (lf_time_parse(text, out, err))
		return lf_error_field(err, LF_ERR_INPUT, name, "'%s' is not an ISO 8601 time: "
				      "'%s'", name, text);
	return LF_OK;
}

/*
 * When it happened, as the specification corrects it: the sender's
 * timestamp moved by the difference between the sender's clock (sentAt)
 * and ours when the call came (received).
 */
static enum lf_result when(struct call *c, const char *batch_sent_at, struct lf_error *err)
{
	const char *ts = text_of(c->j, "timestamp"), *name = "timestamp";
	const char *sent = text_of(c->j, "sentAt");
	lf_time_ms t, s;
	enum lf_result r;
	if (!ts) {
		ts = text_of(c->j, "originalTimestamp");
		name = "originalTimestamp";
	}
	if (!sent)
		sent = batch_sent_at;
	c->at = c->received;
	if (!ts)
		return LF_OK;
	if ((r = time_member(name, ts, &t, err)))
		return r;
	c->at = t;
	if (!sent)
		return LF_OK;
	if ((r = time_member("sentAt", sent, &s, err)))
		return r;
	c->at = c->received - (s - t);
	return LF_OK;
}

/* The call's messageId, or one made of its content, so that a retry is the same call. */
static enum lf_result message_id(struct call *c, struct lf_error *err)
{
	enum lf_result r = id_member(c->j, "messageId", c->message_id, sizeof(c->message_id),
				     err);
	if (r || *c->message_id)
		return r;
	char *text = json_dumps(c->j, JSON_COMPACT | JSON_SORT_KEYS);
	char hex[LF_SHA256_HEX];
	if (!text)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	lf_sha256_hex(text, strlen(text), hex);
	free(text);
	snprintf(c->message_id, sizeof(c->message_id), "cdp-%.40s", hex);
	return LF_OK;
}

/* Sets name in o to v (borrowed) when v is a string, a number or a boolean. */
static void set_scalar(json_t *o, const char *name, json_t *v)
{
	if (v && (json_is_string(v) || json_is_number(v) || json_is_boolean(v)))
		json_object_set(o, name, v);
}

/*
 * The lead's fields from traits: email, name (else firstName, lastName),
 * title, company (a name, or an object with name, industry and
 * employee_count), industry, employees, country (else address.country);
 * every other scalar trait an attribute of its name.
 */
static void fields_of(json_t *traits, json_t *lead)
{
	static const char *const taken[] = {
		"email", "name", "firstName", "lastName", "first_name", "last_name", "title",
		"company", "industry", "employees", "country", "address", "id", "userId",
		"anonymousId", NULL,
	};
	json_t *attrs = json_object(), *company = json_object_get(traits, "company");
	json_t *address = json_object_get(traits, "address");
	const char *key;
	json_t *v;

	if (!json_is_object(traits)) {
		json_decref(attrs);
		return;
	}
	set_scalar(lead, "email", json_object_get(traits, "email"));
	set_scalar(lead, "name", json_object_get(traits, "name"));
	if (!json_object_get(traits, "name")) {
		set_scalar(lead, "first_name", json_object_get(traits, "firstName"));
		set_scalar(lead, "last_name", json_object_get(traits, "lastName"));
		set_scalar(lead, "first_name", json_object_get(traits, "first_name"));
		set_scalar(lead, "last_name", json_object_get(traits, "last_name"));
	}
	set_scalar(lead, "title", json_object_get(traits, "title"));
	if (json_is_object(company)) {
		set_scalar(lead, "company", json_object_get(company, "name"));
		set_scalar(lead, "industry", json_object_get(company, "industry"));
		set_scalar(lead, "employees", json_object_get(company, "employee_count"));
	} else {
		set_scalar(lead, "company", company);
	}
	set_scalar(lead, "industry", json_object_get(traits, "industry"));
	set_scalar(lead, "employees", json_object_get(traits, "employees"));
	set_scalar(lead, "country", json_is_object(address) ?
		   json_object_get(address, "country") : NULL);
	set_scalar(lead, "country", json_object_get(traits, "country"));
	json_object_foreach(traits, key, v) {
		bool known = false;
		for (int i = 0; taken[i] && !known; i++)
			known = !strcmp(key, taken[i]);
		if (!known)
			set_scalar(attrs, key, v);
	}
	if (json_object_size(attrs))
		json_object_set_new(lead, "attributes", attrs);
	else
		json_decref(attrs);
}

/* A new lead's source and campaign: where the call says the person came from. */
static void origin_of(json_t *j, json_t *lead)
{
	json_t *campaign = json_object_get(json_object_get(j, "context"), "campaign");
	if (!json_is_object(campaign))
		return;
	set_scalar(lead, "source", json_object_get(campaign, "source"));
	set_scalar(lead, "campaign", json_object_get(campaign, "name"));
}

/* Whether a lead has the email fields names (none named: no). */
static enum lf_result email_known(struct call *c, json_t *fields, bool *known,
				  struct lf_error *err)
{
	struct lf_lead found;
	enum lf_result r = LF_ERR_NOT_FOUND;
	lf_lead_init(&found);
	if (text_of(fields, "email"))
		r = lf_store_lead_find(c->s, LF_KEY_EMAIL, text_of(fields, "email"), &found, err);
	lf_lead_release(&found);
	*known = r == LF_OK;
	return r == LF_ERR_NOT_FOUND ? LF_OK : r;
}

/*
 * The lead whose external id is the userId: made when there is none (or
 * the one of its email given that id), written over by an identify.
 */
static enum lf_result user_lead(struct call *c, json_t *fields, bool identify, int64_t *lead,
				enum lf_row_outcome *outcome, struct lf_error *err)
{
	struct lf_lead found;
	enum lf_result r;
	bool by_email = false;

	lf_lead_init(&found);
	r = lf_store_lead_find(c->s, LF_KEY_EXTERNAL_ID, c->user_id, &found, err);
	*lead = found.id;
	lf_lead_release(&found);
	if (r && r != LF_ERR_NOT_FOUND)
		return r;
	if (!r && !identify)
		return LF_OK;
	json_object_set_new(fields, "external_id", json_string(c->user_id));
	if (r == LF_ERR_NOT_FOUND) {
		if ((r = email_known(c, fields, &by_email, err)))
			return r;
		if (!by_email)
			origin_of(c->j, fields);
	}
	return lf_ingest_json(c->in, LF_ENTITY_LEADS, fields, outcome, lead, err);
}

/* An identify of someone known by email alone: that lead, made when new. */
static enum lf_result email_lead(struct call *c, json_t *fields, int64_t *lead,
				 enum lf_row_outcome *outcome, struct lf_error *err)
{
	bool known;
	enum lf_result r = email_known(c, fields, &known, err);
	if (r)
		return r;
	if (!known)
		origin_of(c->j, fields);
	return lf_ingest_json(c->in, LF_ENTITY_LEADS, fields, outcome, lead, err);
}

static enum lf_result write_call(struct call *c, int64_t known, enum lf_cdp_outcome *outcome,
				 int64_t *lead, struct lf_error *err);

struct replay {
	struct call *c;
	int64_t lead;
};

/* A held call written now that its anonymous id is someone's; held again if it fails. */
static enum lf_result replay_one(void *ctx, lf_time_ms received, const char *text)
{
	struct replay *rp = ctx;
	struct call held = { .in = rp->c->in, .s = rp->c->s, .received = received };
	enum lf_cdp_outcome outcome;
	json_error_t jerr;
	struct lf_error err = { 0 };
	int64_t lead;
	enum lf_result r;
	bool kept;

	if (!(held.j = json_loads(text, 0, &jerr)))
		return lf_error_set(&err, LF_ERR_INTERNAL, "a held call is not JSON: %s",
				    jerr.text);
	held.type = text_of(held.j, "type");
	r = message_id(&held, &err);
	if (!r)
		r = when(&held, NULL, &err);
	if (!r)
		r = write_call(&held, rp->lead, &outcome, &lead, &err);
	if (r == LF_ERR_INPUT || r == LF_ERR_CONFLICT || r == LF_ERR_NOT_FOUND) {
		/* kept for another try, not lost: what refused it is in the log */
		fprintf(stderr, "leadflow: cdp: held call %s stays held: %s\n", held.message_id,
			err.msg);
		r = lf_store_cdp_hold(rp->c->s, held.message_id,
				      text_of(held.j, "anonymousId") ? text_of(held.j, "anonymousId")
								     : rp->c->anonymous_id,
				      received, text, &kept, &err);
	}
	json_decref(held.j);
	return r;
}

/* Links id to the lead and writes the calls held under it. */
static enum lf_result link(struct call *c, const char *id, int64_t lead, struct lf_error *err)
{
	struct replay rp = { c, lead };
	enum lf_result r;
	if (!*id)
		return LF_OK;
	if ((r = lf_store_cdp_link(c->s, id, lead, c->received, err)))
		return r;
	return lf_store_cdp_take(c->s, id, replay_one, &rp, err);
}

/* Keeps a call of an anonymous id not linked yet, its time already corrected. */
static enum lf_result hold(struct call *c, enum lf_cdp_outcome *outcome, struct lf_error *err)
{
	char at[LF_TIME_STR_MAX];
	bool kept = false;
	enum lf_result r;
	lf_time_format(c->at, at);
	json_object_set_new(c->j, "type", json_string(c->type));
	json_object_set_new(c->j, "messageId", json_string(c->message_id));
	json_object_set_new(c->j, "timestamp", json_string(at));
	json_object_del(c->j, "sentAt");
	json_object_del(c->j, "originalTimestamp");
	char *text = json_dumps(c->j, JSON_COMPACT);
	if (!text)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	r = lf_store_cdp_hold(c->s, c->message_id, c->anonymous_id, c->received, text, &kept,
			      err);
	free(text);
	*outcome = kept ? LF_CDP_HELD : LF_CDP_UNCHANGED;
	return r;
}

/*
 * track, page, screen: an event of *lead, or, *lead 0, of the userId's lead
 * (found through the session's cached look-up; LF_ERR_NOT_FOUND when there
 * is none yet), *lead then set.
 */
static enum lf_result write_event(struct call *c, int64_t *lead, enum lf_cdp_outcome *outcome,
				  struct lf_error *err)
{
	json_t *props = json_object_get(c->j, "properties");
	json_t *ev = json_object(), *p = json_is_object(props) ? json_deep_copy(props)
								: json_object();
	char at[LF_TIME_STR_MAX];
	const char *type = !strcmp(c->type, "track") ? text_of(c->j, "event")
			 : !strcmp(c->type, "page") ? "page_view" : "screen_view";
	enum lf_row_outcome row;
	int64_t id;
	enum lf_result r;

	if (strcmp(c->type, "track")) {
		set_scalar(p, "name", json_object_get(c->j, "name"));
		set_scalar(p, "category", json_object_get(c->j, "category"));
	}
	/* the campaign the call came through: a touch, for last-touch attribution */
	json_t *campaign = json_object_get(json_object_get(c->j, "context"), "campaign");
	if (json_is_string(json_object_get(campaign, "source")) &&
	    !json_object_get(p, "utm_source")) {
		set_scalar(p, "utm_source", json_object_get(campaign, "source"));
		set_scalar(p, "utm_campaign", json_object_get(campaign, "name"));
	}
	lf_time_format(c->at, at);
	json_object_set_new(ev, "id", json_string(c->message_id));
	if (*lead)
		json_object_set_new(ev, "lead_id", json_integer(*lead));
	else
		json_object_set_new(ev, "external_id", json_string(c->user_id));
	json_object_set_new(ev, "type", json_string(type));
	json_object_set_new(ev, "occurred_at", json_string(at));
	json_object_set_new(ev, "properties", p);
	r = lf_ingest_json(c->in, LF_ENTITY_EVENTS, ev, &row, &id, err);
	json_decref(ev);
	if (!r)
		*lead = id;
	*outcome = !r && row == LF_ROW_INSERTED ? LF_CDP_TAKEN : LF_CDP_UNCHANGED;
	/* a messageId seen before is a retry, whose time corrected anew may
	 * differ by a little: the call first taken stands */
	if (r == LF_ERR_CONFLICT && !strcmp(err->field, "id"))
		r = LF_OK;
	return r;
}

/* A lead's fields from an identify or a group, over the stored lead. */
static enum lf_result patch(struct call *c, int64_t lead, json_t *fields,
			    enum lf_cdp_outcome *outcome, struct lf_error *err)
{
	enum lf_row_outcome row = LF_ROW_UNCHANGED;
	enum lf_result r = json_object_size(fields)
		? lf_ingest_patch_lead(c->in, lead, fields, &row, err) : LF_OK;
	*outcome = row == LF_ROW_UNCHANGED ? LF_CDP_UNCHANGED : LF_CDP_TAKEN;
	return r;
}

static enum lf_result group_fields(struct call *c, json_t *fields, struct lf_error *err)
{
	char group[160];
	json_t *traits = json_object_get(c->j, "traits");
	enum lf_result r = id_member(c->j, "groupId", group, sizeof(group), err);
	if (r)
		return r;
	if (!*group)
		return lf_error_field(err, LF_ERR_INPUT, "groupId", "a group call needs a "
				      "'groupId'");
	if (json_is_object(traits) && text_of(traits, "name"))
		json_object_set(fields, "company", json_object_get(traits, "name"));
	else
		json_object_set_new(fields, "company", json_string(group));
	if (json_is_object(traits)) {
		set_scalar(fields, "industry", json_object_get(traits, "industry"));
		set_scalar(fields, "employees", json_object_get(traits, "employees"));
	}
	json_object_set_new(fields, "attributes", json_pack("{s:s}", "group_id", group));
	return LF_OK;
}

/*
 * One call: its lead found (by userId, by an identify's email, by a
 * linked anonymous id, or known, as for a held call) or the call held.
 */
static enum lf_result write_call(struct call *c, int64_t known, enum lf_cdp_outcome *outcome,
				 int64_t *lead, struct lf_error *err)
{
	json_t *fields = json_object();
	bool identify = !strcmp(c->type, "identify"), alias = !strcmp(c->type, "alias");
	char previous[160] = "";
	enum lf_row_outcome row = LF_ROW_UNCHANGED;
	enum lf_result r;

	*lead = known;
	if (identify)
		fields_of(json_object_get(c->j, "traits"), fields);
	else
		set_scalar(fields, "email", json_object_get(json_object_get(
			json_object_get(c->j, "context"), "traits"), "email"));
	if (!strcmp(c->type, "group") && (r = group_fields(c, fields, err)))
		goto out;
	if (alias && (r = id_member(c->j, "previousId", previous, sizeof(previous), err)))
		goto out;
	if (alias && (!*previous || !*c->user_id)) {
		r = lf_error_field(err, LF_ERR_INPUT, *previous ? "userId" : "previousId",
				   "an alias call needs 'previousId' and 'userId'");
		goto out;
	}
	/* an event of a known userId: no look-up of its own (the usual call) */
	bool event = !identify && !alias && strcmp(c->type, "group"), written = false;
	if (!*lead && *c->user_id && event) {
		r = write_event(c, lead, outcome, err);
		if (r && r != LF_ERR_NOT_FOUND)
			goto out;
		written = !r;   /* else the lead is made below, and the event written then */
	}
	if (!*lead && *c->user_id) {
		json_t *who = identify ? json_incref(fields) : json_object();
		if (!identify)
			set_scalar(who, "email", json_object_get(fields, "email"));
		r = user_lead(c, who, identify, lead, &row, err);
		json_decref(who);
		if (r)
			goto out;
		if (identify)
			json_object_clear(fields); /* written with the lead */
	}
	if (!*lead && (r = lf_store_cdp_identity(c->s, c->anonymous_id, lead, err)))
		goto out;
	if (!*lead && identify && text_of(fields, "email")) {
		if ((r = email_lead(c, fields, lead, &row, err)))
			goto out;
		json_object_clear(fields);
	}
	if (!*lead) {
		r = hold(c, outcome, err);
		goto out;
	}
	if (!identify)
		json_object_del(fields, "email"); /* only found the lead */
	if (!written)
		*outcome = LF_CDP_TAKEN;
	if (alias || written)
		r = LF_OK;
	else if (identify && !json_object_size(fields)) /* written as the lead was found */
		*outcome = row == LF_ROW_UNCHANGED ? LF_CDP_UNCHANGED : LF_CDP_TAKEN;
	else if (identify || !strcmp(c->type, "group"))
		r = patch(c, *lead, fields, outcome, err);
	else
		r = write_event(c, lead, outcome, err);
	/* the ids it carried are the lead's from now on */
	if (!r && !known)
		r = link(c, c->anonymous_id, *lead, err);
	if (!r && alias)
		r = link(c, previous, *lead, err);
out:
	json_decref(fields);
	return r;
}

static const char *const types[] = { "track", "page", "screen", "identify", "group", "alias",
				     NULL };

enum lf_result lf_cdp_write(struct lf_ingest *in, struct lf_store *s, void *call,
			    const char *type, const char *sent_at, lf_time_ms received,
			    enum lf_cdp_outcome *outcome, int64_t *lead, struct lf_error *err)
{
	struct call c = { .in = in, .s = s, .j = call, .received = received };
	enum lf_result r;
	bool known = false;

	*lead = 0;
	*outcome = LF_CDP_UNCHANGED;
	if (!json_is_object(c.j))
		return lf_error_set(err, LF_ERR_INPUT, "a call must be a JSON object");
	c.type = type ? type : text_of(c.j, "type");
	for (int i = 0; c.type && types[i] && !known; i++)
		known = !strcmp(c.type, types[i]);
	if (!known)
		return lf_error_field(err, LF_ERR_INPUT, "type", "'type' must be one of track, "
				      "page, screen, identify, group, alias");
	if ((r = id_member(c.j, "userId", c.user_id, sizeof(c.user_id), err)) ||
	    (r = id_member(c.j, "anonymousId", c.anonymous_id, sizeof(c.anonymous_id), err)) ||
	    (r = message_id(&c, err)) || (r = when(&c, sent_at, err)))
		return r;
	if (!*c.user_id && !*c.anonymous_id)
		return lf_error_field(err, LF_ERR_INPUT, "userId", "a call needs a 'userId' or "
				      "an 'anonymousId'");
	if (!strcmp(c.type, "track") && !text_of(c.j, "event"))
		return lf_error_field(err, LF_ERR_INPUT, "event", "a track call needs the "
				      "'event' it records");
	json_t *props = json_object_get(c.j, "properties");
	if (props && !json_is_object(props) && !json_is_null(props))
		return lf_error_field(err, LF_ERR_INPUT, "properties", "'properties' must be "
				      "an object");
	/* all of the call or nothing of it: a savepoint */
	if ((r = lf_store_begin(s, err)))
		return r;
	if (!(r = write_call(&c, 0, outcome, lead, err)) && !(r = lf_ingest_flush(in, err)) &&
	    !(r = lf_store_commit(s, err)))
		return LF_OK;
	lf_store_rollback(s);
	struct lf_error again;
	if (lf_ingest_refresh(in, &again)) /* its caches may hold what was undone */
		return lf_error_set(err, again.code, "%s", again.msg);
	*lead = 0;
	return r;
}
