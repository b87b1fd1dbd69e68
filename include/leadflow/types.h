/*
 * types.h - the entities of SPEC section 3 as plain structs: lead, event,
 * touch, transition, rep, model.
 *
 * Each struct owns its strings (char * members are heap copies, or NULL when
 * absent); lf_<entity>_release frees them and leaves the struct zeroed, so a
 * released struct may be filled again. Times are lf_time_ms in UTC.
 */
#ifndef LEADFLOW_TYPES_H
#define LEADFLOW_TYPES_H

#include <leadflow/error.h>
#include <leadflow/time.h>
#include <leadflow/value.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The stages of the demand waterfall (SPEC 4), in funnel order. */
enum lf_stage {
	LF_STAGE_LEAD = 0,
	LF_STAGE_MQL,
	LF_STAGE_ASSIGNED,
	LF_STAGE_SAL,
	LF_STAGE_SQL,
	LF_STAGE_OPPORTUNITY,
	LF_STAGE_WON,
	LF_STAGE_LOST,
	LF_STAGE_RECYCLED,
	LF_STAGE_DISQUALIFIED,
	LF_STAGE_COUNT
};

#define LF_STAGE_BIT(s) (1u << (s))

/* Open: not won, lost or disqualified. */
bool lf_stage_open(enum lf_stage s);
/*
 * Leads sales found itself (SPEC 4): their source is LF_SOURCE_SALES; they
 * start at sql, owned by the rep who adds them, and count apart from
 * marketing's in every report. The one test of that rule.
 */
#define LF_SOURCE_SALES "sales"
bool lf_source_is_sales(const char *source);
/* "lead", "mql", ...; NULL when out of range. */
const char *lf_stage_name(enum lf_stage s);
/* LF_ERR_INPUT with the list of stages when name is not one of them. */
enum lf_result lf_stage_parse(const char *name, enum lf_stage *out,
			      struct lf_error *err);

struct lf_lead {
	int64_t id;            /* 0 until stored */
	char *external_id;     /* the source system's id, unique when present */
	char *email;           /* normalised: trimmed, lower-case; unique */
	char *name;
	char *company;
	char *title;
	char *country;
	char *industry;
	char *source;          /* channel */
	char *campaign;
	char *disq_reason;
	double employees;      /* NAN when unknown */
	lf_time_ms created_at;
	lf_time_ms updated_at;
	enum lf_stage stage;
	int64_t owner_rep_id;  /* 0 when nobody owns it */
	double fit, engagement, total;
	int model_version;     /* 0 when never scored */
	lf_time_ms hand_raiser_at; /* its first hand-raiser event, 0 when none */
	lf_time_ms recycled_at;    /* when sales last sent it back to nurture, 0 never;
				    * only engagement after it counts */
	struct lf_attrs attrs; /* free attributes */
	lf_time_ms sla_due_at;     /* its open SLA clock's due time: set only by a lead
				    * list sorted by it (LF_SORT_SLA_DUE), else 0 */
};

/* The text fields of a lead by name, for tables that map names to fields. */
struct lf_lead_text_field {
	const char *name;
	size_t offset; /* of the char * member in struct lf_lead */
};
extern const struct lf_lead_text_field lf_lead_text_fields[];
extern const size_t lf_lead_text_field_count;
/* The member a text field names, or NULL when name is not a text field. */
char **lf_lead_text(struct lf_lead *lead, const char *name);

void lf_lead_init(struct lf_lead *lead);
void lf_lead_release(struct lf_lead *lead);
/* Replaces a char * member with a copy of value (NULL clears it). */
enum lf_result lf_set_str(char **member, const char *value);
/* Trims and lower-cases an email in place; returns false when it has no '@'. */
bool lf_email_normalise(char *email);
/* True when everything but id, created_at and updated_at is the same. */
bool lf_lead_same_content(const struct lf_lead *a, const struct lf_lead *b);
enum lf_result lf_lead_copy(struct lf_lead *dst, const struct lf_lead *src);

struct lf_event {
	char *id;              /* supplied by the sender: the idempotency key */
	int64_t lead_id;
	char *type;
	lf_time_ms occurred_at;
	char *properties;      /* JSON object text, "{}" when none */
};
void lf_event_release(struct lf_event *e);

struct lf_touch {
	int64_t id;            /* 0 until stored */
	char *key;             /* idempotency key: the sender's id or one derived */
	int64_t lead_id;
	int64_t rep_id;        /* 0 when unknown */
	char *kind;            /* call, email, meeting, note */
	double minutes;
	char *outcome;
	lf_time_ms at;
};
void lf_touch_release(struct lf_touch *t);

/* An answer to one of the model's qualification questions (model.h). */
struct lf_answer {
	int64_t id;            /* 0 until stored */
	int64_t lead_id;
	char *question;        /* the question's key */
	char *value;           /* as JSON: a string, or a number */
	char *actor;           /* who gave it: the token's or the command line's name */
	lf_time_ms at;
	int model_version;     /* the version whose question it answers; 0 none */
};
void lf_answer_release(struct lf_answer *a);

struct lf_transition {
	int64_t id;            /* 0 until stored; ids grow with time of writing */
	int64_t lead_id;
	enum lf_stage from, to;
	char *actor;
	lf_time_ms at;
	bool undated;          /* an import without a date for the move: at is the
				* import's time, not the move's */
	char *reason;          /* reason code or NULL */
	int rating;            /* 1-5, 0 when none */
	char *note;
	int model_version;     /* 0 when none */
	int64_t owner_rep_id;  /* who holds the lead after the move; 0 nobody (or
				* not recorded: moves before schema version 20) */
};
void lf_transition_release(struct lf_transition *t);

/*
 * The two tiers of sales (SPEC 6): inside sales (SDRs) take marketing's
 * leads and qualify them; account executives (AEs) take the SDRs' SQLs and
 * close them. A company without AEs has one tier: every rep is an SDR.
 */
enum lf_tier { LF_TIER_SDR, LF_TIER_AE, LF_TIER_COUNT };
/* "sdr", "ae"; NULL when out of range. */
const char *lf_tier_name(enum lf_tier t);
/* LF_ERR_INPUT naming field and the tiers when name is not one of them. */
enum lf_result lf_tier_parse(const char *name, const char *field, enum lf_tier *out,
			     struct lf_error *err);

struct lf_rep {
	int64_t id;
	char *name;            /* unique */
	char *team;
	char *pools;           /* comma-separated pool names */
	double weekly_hours;
	int max_active;
	bool away;             /* away until further notice */
	lf_time_ms away_from, away_to; /* away in [from, to); 0: not set */
	enum lf_tier tier;
};
/* Whether r is away at t. */
bool lf_rep_away_at(const struct lf_rep *r, lf_time_ms t);
void lf_rep_release(struct lf_rep *r);

struct lf_model {
	int version;           /* assigned by the store, from 1 */
	char *name;
	char *text;            /* the YAML as written */
	char *status;          /* draft, proposed, active, retired */
	lf_time_ms created_at;
};
void lf_model_release(struct lf_model *m);

/* A lead given to a rep, and the SLA clock it starts: first touch due by due_at. */
struct lf_assignment {
	int64_t id;
	int64_t lead_id, rep_id;
	lf_time_ms at;
	bool hand_raiser;
	lf_time_ms due_at;         /* first touch due */
	lf_time_ms reassign_at;    /* untouched past it: given to another rep */
	lf_time_ms first_touch_at; /* 0: not yet */
	lf_time_ms breached_at;    /* 0: not breached */
	lf_time_ms reassigned_at;  /* 0: not reassigned */
	bool closed;               /* touched or reassigned: the clock stopped */
};

/* An approval of a model version, by a token. */
struct lf_approval {
	int version;
	int64_t token_id;
	char *token_name, *role;
	lf_time_ms at;
};

/* An API token: only a hash of its secret is kept. */
struct lf_token {
	int64_t id;
	char *name;
	char *role;            /* a role of SPEC 2 */
	int64_t rep_id;        /* the rep a 'rep' token acts as, 0 for none */
	char *hash;            /* hex SHA-256 of the secret */
	lf_time_ms created_at;
	lf_time_ms revoked_at; /* 0 while valid */
};
void lf_token_release(struct lf_token *t);

/*
 * A browser's sign-in, or a one-time sign-in link not yet used, acting as
 * the token it was opened with. Only the SHA-256 of its secret is kept.
 * Nothing in it is heap owned.
 */
struct lf_session {
	int64_t id;
	int64_t token_id;
	bool link;             /* a one-time sign-in link */
	char hash[65];         /* hex SHA-256 of the secret */
	char csrf[65];         /* what each state-changing request of it must carry */
	lf_time_ms created_at, expires_at;
	lf_time_ms ended_at;   /* 0 while open: then signed out, revoked or (a link) used */
};

/* A webhook subscription. */
struct lf_webhook {
	int64_t id;
	char *url;
	char *secret;          /* the HMAC key */
	char *types;           /* comma-separated event types */
	lf_time_ms created_at;
};
void lf_webhook_release(struct lf_webhook *w);

/* One delivery of one outbox entry to one subscription. */
struct lf_delivery {
	int64_t id;
	int64_t webhook_id;
	char *url, *secret;    /* the subscription's, when listed as due */
	char *type;            /* lead.mql, ... */
	lf_time_ms occurred_at;
	char *data;            /* JSON */
	int attempt;           /* attempts made so far */
	lf_time_ms next_at;    /* when it is due, 0 when no longer */
	char *status;          /* pending, delivered, failed */
	int last_code;         /* the receiver's last HTTP status, 0 none */
	char *last_error;
};
void lf_delivery_release(struct lf_delivery *d);

#endif
