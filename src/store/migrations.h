/*
 * migrations.h - the SQLite schema as an ordered list of steps embedded in
 * the binary. Step i takes the schema from version i to i + 1; the version
 * reached is kept in the table schema_version. Never edit a step that has
 * shipped: append a new one.
 */
#ifndef LF_STORE_MIGRATIONS_H
#define LF_STORE_MIGRATIONS_H

#include "store/aggregates.h"

static const char *const lf_sqlite_migrations[] = {
	/* 1: the entities of SPEC 3 that exist in the foundation */
	"CREATE TABLE reps("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  team TEXT,"
	"  pools TEXT,"
	"  weekly_hours REAL NOT NULL DEFAULT 40,"
	"  max_active INTEGER NOT NULL DEFAULT 50,"
	"  away INTEGER NOT NULL DEFAULT 0 CHECK (away IN (0, 1)));"
	"CREATE TABLE leads("
	"  id INTEGER PRIMARY KEY,"
	"  external_id TEXT UNIQUE,"
	"  email TEXT UNIQUE,"
	"  name TEXT, company TEXT, title TEXT, country TEXT, industry TEXT,"
	"  source TEXT, campaign TEXT, disq_reason TEXT,"
	"  employees REAL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  stage TEXT NOT NULL DEFAULT 'lead',"
	"  owner_rep_id INTEGER REFERENCES reps(id),"
	"  fit REAL NOT NULL DEFAULT 0,"
	"  engagement REAL NOT NULL DEFAULT 0,"
	"  total REAL NOT NULL DEFAULT 0,"
	"  model_version INTEGER,"
	"  attrs TEXT NOT NULL DEFAULT '{}');"
	"CREATE INDEX leads_stage ON leads(stage);"
	"CREATE INDEX leads_source ON leads(source);"
	"CREATE TABLE events("
	"  id TEXT PRIMARY KEY,"
	"  lead_id INTEGER NOT NULL REFERENCES leads(id),"
	"  type TEXT NOT NULL,"
	"  occurred_at INTEGER NOT NULL,"
	"  properties TEXT NOT NULL DEFAULT '{}');"
	"CREATE INDEX events_lead ON events(lead_id, occurred_at);"
	"CREATE TABLE touches("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL UNIQUE,"
	"  lead_id INTEGER NOT NULL REFERENCES leads(id),"
	"  rep_id INTEGER REFERENCES reps(id),"
	"  kind TEXT NOT NULL,"
	"  minutes REAL NOT NULL DEFAULT 0,"
	"  outcome TEXT,"
	"  at INTEGER NOT NULL);"
	"CREATE INDEX touches_lead ON touches(lead_id, at);"
	"CREATE TABLE transitions("
	"  id INTEGER PRIMARY KEY,"
	"  lead_id INTEGER NOT NULL REFERENCES leads(id),"
	"  from_stage TEXT NOT NULL,"
	"  to_stage TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  reason TEXT,"
	"  rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),"
	"  note TEXT,"
	"  model_version INTEGER);"
	"CREATE INDEX transitions_lead ON transitions(lead_id, id);"
	"CREATE TRIGGER transitions_no_update BEFORE UPDATE ON transitions"
	"  BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;"
	"CREATE TRIGGER transitions_no_delete BEFORE DELETE ON transitions"
	"  BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;"
	"CREATE TABLE models("
	"  version INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'draft'"
	"    CHECK (status IN ('draft', 'proposed', 'active', 'retired')),"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE demo_truth("
	"  lead_id INTEGER PRIMARY KEY REFERENCES leads(id),"
	"  p_sql REAL NOT NULL,"
	"  p_won REAL NOT NULL);",
	/* 2: scoring keeps when a lead raised its hand (hand-raiser rules) */
	"ALTER TABLE leads ADD COLUMN hand_raiser_at INTEGER;",
	/* 3: the engagement accumulators of live scoring, kept with the lead
	 * and valid for its model_version */
	"ALTER TABLE leads ADD COLUMN score_state BLOB;",
	/* 4: recycling: when sales last sent the lead back to nurture */
	"ALTER TABLE leads ADD COLUMN recycled_at INTEGER;",
	/* 5: the HTTP API: tokens, webhooks and their outbox, the audit trail;
	 * erasure may clear a transition's note and nothing else */
	"CREATE TABLE tokens("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL,"
	"  rep_id INTEGER REFERENCES reps(id),"
	"  hash TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  revoked_at INTEGER);"
	"CREATE TABLE webhooks("
	"  id INTEGER PRIMARY KEY,"
	"  url TEXT NOT NULL,"
	"  secret TEXT NOT NULL,"
	"  types TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  deleted_at INTEGER);"
	"CREATE TABLE outbox("
	"  id INTEGER PRIMARY KEY,"
	"  webhook_id INTEGER NOT NULL REFERENCES webhooks(id),"
	"  type TEXT NOT NULL,"
	"  occurred_at INTEGER NOT NULL,"
	"  data TEXT NOT NULL,"
	"  attempt INTEGER NOT NULL DEFAULT 0,"
	"  status TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (status IN ('pending', 'delivered', 'failed')),"
	"  next_at INTEGER,"
	"  last_code INTEGER,"
	"  last_error TEXT);"
	"CREATE INDEX outbox_due ON outbox(next_at) WHERE status = 'pending';"
	"CREATE INDEX outbox_webhook ON outbox(webhook_id, id);"
	"CREATE TABLE delivery_log("
	"  id INTEGER PRIMARY KEY,"
	"  outbox_id INTEGER NOT NULL REFERENCES outbox(id),"
	"  attempt INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  code INTEGER,"
	"  error TEXT);"
	"CREATE TABLE audit("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  subject TEXT,"
	"  detail TEXT);"
	"CREATE INDEX leads_owner ON leads(owner_rep_id, id);"
	"DROP TRIGGER transitions_no_update;"
	"CREATE TRIGGER transitions_no_update BEFORE UPDATE ON transitions"
	"  WHEN NOT (NEW.note IS NULL AND NEW.id = OLD.id"
	"    AND NEW.lead_id = OLD.lead_id AND NEW.from_stage = OLD.from_stage"
	"    AND NEW.to_stage = OLD.to_stage AND NEW.actor = OLD.actor"
	"    AND NEW.at = OLD.at AND NEW.reason IS OLD.reason"
	"    AND NEW.rating IS OLD.rating AND NEW.model_version IS OLD.model_version)"
	"  BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;",
	/* 6: capacity: when a rep is away */
	"ALTER TABLE reps ADD COLUMN away_from INTEGER;"
	"ALTER TABLE reps ADD COLUMN away_to INTEGER;"
	"CREATE INDEX touches_rep ON touches(rep_id, at);",
	/* 7: the gate: a lead's queue (NULL: the pool, 'manager': waiting for a
	 * manager), the routing file's versions, the threshold's history */
	"ALTER TABLE leads ADD COLUMN queue TEXT;"
	"CREATE INDEX leads_gate ON leads(stage, total);"
	"CREATE INDEX leads_hand ON leads(stage) WHERE hand_raiser_at IS NOT NULL;"
	"CREATE TABLE routing("
	"  version INTEGER PRIMARY KEY,"
	"  text TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE gate_history("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  threshold REAL NOT NULL,"
	"  floor REAL NOT NULL,"
	"  free_slots INTEGER NOT NULL,"
	"  pool INTEGER NOT NULL,"
	"  released INTEGER NOT NULL);",
	/* 8: assignments and their SLA clocks */
	"CREATE TABLE assignments("
	"  id INTEGER PRIMARY KEY,"
	"  lead_id INTEGER NOT NULL REFERENCES leads(id),"
	"  rep_id INTEGER NOT NULL REFERENCES reps(id),"
	"  at INTEGER NOT NULL,"
	"  hand_raiser INTEGER NOT NULL,"
	"  due_at INTEGER NOT NULL,"
	"  reassign_at INTEGER NOT NULL,"
	"  first_touch_at INTEGER,"
	"  breached_at INTEGER,"
	"  reassigned_at INTEGER,"
	"  closed INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX assignments_open ON assignments(closed, due_at);"
	"CREATE INDEX assignments_rep ON assignments(rep_id);",
	/* 9: model governance: who approved which version */
	"CREATE TABLE model_approvals("
	"  id INTEGER PRIMARY KEY,"
	"  version INTEGER NOT NULL REFERENCES models(version),"
	"  token_id INTEGER NOT NULL,"
	"  token_name TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  UNIQUE (version, token_id));",
	/* 10: each subscription's pending deliveries in order (the sender takes
	 * one a subscription); leads by creation (the lead list's sort) */
	"CREATE INDEX outbox_pending ON outbox(webhook_id, id) WHERE status = 'pending';"
	"CREATE INDEX leads_created ON leads(created_at, id);",
	/* 11: the app's sessions and one-time sign-in links, each acting as a token */
	"CREATE TABLE sessions("
	"  id INTEGER PRIMARY KEY,"
	"  token_id INTEGER NOT NULL REFERENCES tokens(id),"
	"  link INTEGER NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  csrf TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  ended_at INTEGER);",
	/* 12: the minutes each rep logged since a time (the capacity of this
	 * week, at every gate run) read from this week's touches only */
	"CREATE INDEX touches_at ON touches(at, rep_id, minutes);",
	/* 13: the leads sales holds now (assigned to sql, and opportunities) with
	 * the work logged on each, kept by the change that moves them, so that
	 * the gate's capacity reads them without a lookup per lead; recomputed
	 * from the lead, its transitions and its touches whenever one of them
	 * changes (HELD_OF), and filled once here from what is stored */
	"CREATE TABLE held("
	"  lead_id INTEGER PRIMARY KEY REFERENCES leads(id),"
	"  rep_id INTEGER NOT NULL,"
	"  stage TEXT NOT NULL,"
	"  assigned_at INTEGER,"
	"  opened_at INTEGER,"
	"  minutes_before REAL NOT NULL,"
	"  minutes_after REAL NOT NULL);"
	HELD_FILL("l.id")
	"CREATE TRIGGER held_lead_insert AFTER INSERT ON leads BEGIN"
	HELD_OF("NEW.id") "END;"
	/* only when what the row reads changed: a lead's other fields are
	 * rewritten on every upsert, and only these transitions move a or o */
	"CREATE TRIGGER held_lead_move AFTER UPDATE OF stage, owner_rep_id ON leads"
	" WHEN OLD.stage IS NOT NEW.stage OR OLD.owner_rep_id IS NOT NEW.owner_rep_id BEGIN"
	HELD_OF("NEW.id") "END;"
	"CREATE TRIGGER held_transition AFTER INSERT ON transitions"
	" WHEN NEW.to_stage IN ('assigned', 'opportunity') BEGIN"
	HELD_OF("NEW.lead_id") "END;"
	"CREATE TRIGGER held_touch AFTER INSERT ON touches BEGIN"
	HELD_OF("NEW.lead_id") "END;"
	"CREATE TRIGGER held_touch_erase AFTER DELETE ON touches BEGIN"
	HELD_OF("OLD.lead_id") "END;",
	/* 14: the rules each lead fired when last scored (a mask, fit rules
	 * first); this migration also made the first aggregates, which 15
	 * makes again */
	"ALTER TABLE leads ADD COLUMN rules INTEGER NOT NULL DEFAULT 0;",
	/* 15: a move an import wrote without a date for it (its time is the
	 * import's), told from the row itself instead of from the lead's last
	 * update, which moves; the reports' aggregates (aggregates.h): a facts
	 * row per lead kept by the change that moves it, and counts per cohort
	 * kept from those rows (the forecast's among them), made again from
	 * scratch and filled as `report rebuild` fills them; capacity's
	 * measured work and the load sales carries now; the gate's wake-up
	 * counter */
	"ALTER TABLE transitions ADD COLUMN undated INTEGER NOT NULL DEFAULT 0;"
	"DROP TRIGGER transitions_no_update;"
	"UPDATE transitions SET undated = 1 WHERE actor = 'import'"
	"  AND at >= (SELECT l.updated_at FROM leads l WHERE l.id = transitions.lead_id);"
	"CREATE TRIGGER transitions_no_update BEFORE UPDATE ON transitions"
	"  WHEN NOT (NEW.note IS NULL AND NEW.id = OLD.id"
	"    AND NEW.lead_id = OLD.lead_id AND NEW.from_stage = OLD.from_stage"
	"    AND NEW.to_stage = OLD.to_stage AND NEW.actor = OLD.actor"
	"    AND NEW.at = OLD.at AND NEW.reason IS OLD.reason"
	"    AND NEW.rating IS OLD.rating AND NEW.model_version IS OLD.model_version"
	"    AND NEW.undated = OLD.undated)"
	"  BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;"
	AGG_DROP
	"DROP TABLE IF EXISTS lead_facts; DROP TABLE IF EXISTS cohorts;"
	"DROP TABLE IF EXISTS agg_paths; DROP TABLE IF EXISTS agg_signal;"
	"DROP TABLE IF EXISTS agg_effort; DROP TABLE IF EXISTS agg_rule;"
	"DROP TABLE IF EXISTS agg_decision; DROP TABLE IF EXISTS work_facts;"
	"DROP TABLE IF EXISTS agg_work; DROP TABLE IF EXISTS gate_wake;"
	"DROP TABLE IF EXISTS agg_bits; DROP TABLE IF EXISTS held_load;"
	"DROP TABLE IF EXISTS agg_close_all;"
	AGG_TABLES AGG_REBUILD,
	/* 16: leases (the domain's clocks and the webhook sender run in one
	 * of the servers sharing a database at a time) */
	"CREATE TABLE leases(name TEXT PRIMARY KEY, holder TEXT NOT NULL,"
	"  until INTEGER NOT NULL);",
	/* 17: a subscription's delivery under way is claimed (every server
	 * sends; each delivery's attempt is claimed by one of them) */
	"ALTER TABLE webhooks ADD COLUMN claimed_until INTEGER;",
	/* 18: answers to the model's qualification questions, each with who
	 * gave it and when (the latest is also the lead's attribute answer_KEY) */
	"CREATE TABLE answers("
	"  id INTEGER PRIMARY KEY,"
	"  lead_id INTEGER NOT NULL REFERENCES leads(id),"
	"  question TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  model_version INTEGER);"
	"CREATE INDEX answers_lead ON answers(lead_id, id);",
	/* 19: the questions report: the leads that entered a stage (each one's
	 * first entry), and each question's first answer. Not (to_stage, at):
	 * the triggers' min(at) of one lead's moves to a stage would walk it in
	 * time order through every lead's (a scan per write) */
	"CREATE INDEX transitions_to ON transitions(to_stage, lead_id, at);"
	"CREATE INDEX answers_question ON answers(question, at);",
	/* 20: two tiers of sales: a rep is an SDR or an AE; a move records who
	 * holds the lead after it (an AE's send-back returns the lead to the SDR
	 * who qualified it; the handoff report names each SQL's SDR) */
	"ALTER TABLE reps ADD COLUMN tier TEXT NOT NULL DEFAULT 'sdr'"
	"  CHECK (tier IN ('sdr', 'ae'));"
	"ALTER TABLE transitions ADD COLUMN owner_rep_id INTEGER REFERENCES reps(id);",
	/* 21: the facts of handoffs and recycles, kept as moves are written
	 * (aggregates.h): the handoffs and recycle reports sum a period's */
	MOVE_FACTS_TABLES MOVE_FACTS_REBUILD,
	/* 22: CDP events (Segment / RudderStack): which lead an anonymous id
	 * (or an alias's previous id) is, and the messages of an anonymous id
	 * not yet identified, kept as they came until it is */
	"CREATE TABLE cdp_identities(anonymous_id TEXT PRIMARY KEY,"
	"  lead_id INTEGER NOT NULL REFERENCES leads(id), at INTEGER NOT NULL);"
	"CREATE INDEX cdp_identities_lead ON cdp_identities(lead_id);"
	"CREATE TABLE cdp_pending(message_id TEXT PRIMARY KEY,"
	"  anonymous_id TEXT NOT NULL, received_at INTEGER NOT NULL,"
	"  message TEXT NOT NULL);"
	"CREATE INDEX cdp_pending_anonymous ON cdp_pending(anonymous_id, received_at);",
	/* 23: marketing's spend per day, channel and campaign ("" for none);
	 * the leads with a value that reached an opportunity, for the
	 * channels report's pipeline and revenue */
	"CREATE TABLE spend(day INTEGER NOT NULL, channel TEXT NOT NULL,"
	"  campaign TEXT NOT NULL DEFAULT '', amount REAL NOT NULL CHECK (amount >= 0),"
	"  PRIMARY KEY (day, channel, campaign));"
	"CREATE INDEX IF NOT EXISTS lead_facts_valued ON lead_facts(created_at, cohort, stages, value)"
	"  WHERE value IS NOT NULL;",
	/* 24: the touches last-touch attribution reads: each event whose
	 * properties name a utm_source (and utm_campaign), kept as it is
	 * written, and those already there */
	"CREATE TABLE lead_touches(lead_id INTEGER NOT NULL REFERENCES leads(id),"
	"  at INTEGER NOT NULL, source TEXT NOT NULL, campaign TEXT NOT NULL,"
	"  PRIMARY KEY (lead_id, at, source, campaign)) WITHOUT ROWID;"
	"CREATE TRIGGER events_touch AFTER INSERT ON events"
	"  WHEN NEW.properties LIKE '%utm_source%'"
	"  BEGIN INSERT OR IGNORE INTO lead_touches SELECT NEW.lead_id, NEW.occurred_at,"
	"   json_extract(NEW.properties, '$.utm_source'),"
	"   coalesce(json_extract(NEW.properties, '$.utm_campaign'), '')"
	"   WHERE json_type(NEW.properties, '$.utm_source') = 'text'; END;"
	"INSERT OR IGNORE INTO lead_touches SELECT lead_id, occurred_at,"
	"  json_extract(properties, '$.utm_source'),"
	"  coalesce(json_extract(properties, '$.utm_campaign'), '') FROM events"
	"  WHERE properties LIKE '%utm_source%'"
	"  AND json_type(properties, '$.utm_source') = 'text';",
	/* 25: agg_signal kept with the rows of the signals whose band moved
	 * only (an event's score: 4 rows, not 6) */
	AGG_DROP_TRIGGER("facts_signal", "lead_facts") AGG_SIGNAL_TRIGGER,
};

#define LF_SQLITE_MIGRATIONS \
	((int)(sizeof(lf_sqlite_migrations) / sizeof(lf_sqlite_migrations[0])))

#endif
