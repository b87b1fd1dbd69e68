/*
 * questions.c - the questions report: for each of the active model's
 * qualification questions, how often sales answered it (per question and
 * per rep) and whether its answers predict the outcome, so that a question
 * that predicts nothing after enough answers is flagged for retirement.
 *
 * Due: the leads that entered the question's stage (sal for a question asked
 * at accept, sql at qualify) since the question's first answer (before any,
 * since the active version was added) and that its `when` picks. Outcome:
 * reaching sql for a question asked at accept (won with outcome=won), won
 * for one asked at qualify; only decided leads count (a lead still between
 * the two says nothing yet).
 *
 * Predictive value: the AUC of the answer against the outcome, cross-fitted
 * so that noise scores about 0.5: the leads are split in two by id, and
 * each half is scored by what the other half says (a choice by its
 * conversion rate there, a number in the direction that converts there);
 * with a 95% interval (Hanley and McNeil). Information value beside it, on
 * every answer (choices, or numbers in fifths). Verdicts: `predictive` when
 * the interval is above 0.5; `retire` when, with enough answers, even its
 * upper end is below 0.55; `too few answers` under 100 decided leads or 10
 * of either outcome; `unclear` otherwise. Text answers are counted, not
 * measured.
 */
#include <leadflow/report.h>
#include "report/rep_names.h"
#include "core/grow.h"
#include "core/stats.h"
#include "lifecycle/lifecycle.h"
#include "score/scoring.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_DECIDED 100
#define MIN_EACH 10
#define RETIRE_BELOW 0.55

struct rep_count {
	int64_t rep_id, due, answered;
};

struct obs {
	double x;                /* a choice's index, or the number */
	bool pos, fold;
};

struct tally {
	const struct lf_question *q;
	lf_time_ms since;
	int64_t due, answered;
	struct rep_count *reps;
	size_t nreps, capreps;
	struct obs *obs;         /* decided leads with an answer */
	size_t nobs, capobs;
};

struct scan {
	const struct lf_report_filter *f;
	struct tally *t;
	size_t nt;
	enum lf_ask_at ask;
	lf_time_ms now;
};

static struct rep_count *rep_of(struct tally *t, int64_t rep)
{
	for (size_t i = 0; i < t->nreps; i++)
		if (t->reps[i].rep_id == rep)
			return &t->reps[i];
	if (LF_GROW(t->reps, t->nreps, t->capreps, 16))
		return NULL;
	t->reps[t->nreps] = (struct rep_count){ .rep_id = rep };
	return &t->reps[t->nreps++];
}

/* The answer as an observation's x; false when it is not one the question takes. */
static bool answer_x(const struct lf_question *q, const struct lf_value *v, double *x)
{
	const char *text = v->type == LF_VAL_STRING ? v->str : NULL;
	if (q->type == LF_ANSWER_NUMBER) {
		*x = v->type == LF_VAL_NUMBER ? v->num : NAN;
		return isfinite(*x);
	}
	if (!text)
		return false;
	if (q->type == LF_ANSWER_YES_NO) {
		*x = !strcmp(text, "yes");
		return *x || !strcmp(text, "no");
	}
	for (size_t i = 0; i < q->nchoices; i++)
		if (!strcmp(q->choices[i], text))
			return *x = (double)i, true;
	return false;
}

static enum lf_result on_lead(void *ctx, const struct lf_lead *l, lf_time_ms entered,
			      unsigned stages)
{
	struct scan *c = ctx;
	unsigned reached = lf_stages_reached(stages);
	bool won_outcome = c->ask == LF_ASK_QUALIFY || c->f->outcome_won;
	bool pos = won_outcome ? (reached & LF_STAGE_BIT(LF_STAGE_WON)) != 0
			       : (reached & LF_REACHED_SQL) != 0;
	/* decided: the outcome came, or the lead left the way without it */
	bool decided = pos || (reached & LF_DECIDED);

	if ((c->f->from && entered < c->f->from) || (c->f->to && entered >= c->f->to))
		return LF_OK;
	for (size_t i = 0; i < c->nt; i++) {
		struct tally *t = &c->t[i];
		const struct lf_value *v;
		struct rep_count *rc;
		char attr[128];
		double x;

		if (t->q->ask != c->ask || entered < t->since || !lf_question_for(t->q, l, c->now))
			continue;
		if (!(rc = rep_of(t, l->owner_rep_id)))
			return LF_ERR_NOMEM;
		snprintf(attr, sizeof(attr), "answer_%s", t->q->key);
		v = lf_attrs_get(&l->attrs, attr);
		t->due++, rc->due++;
		if (!v || v->type == LF_VAL_NULL)
			continue;
		t->answered++, rc->answered++;
		if (!decided || t->q->type == LF_ANSWER_TEXT || !answer_x(t->q, v, &x))
			continue;
		if (LF_GROW(t->obs, t->nobs, t->capobs, 256))
			return LF_ERR_NOMEM;
		t->obs[t->nobs++] = (struct obs){ .x = x, .pos = pos, .fold = l->id & 1 };
	}
	return LF_OK;
}

struct fit {
	size_t n, npos;
	double auc, low, high, iv;
};

static int by_x(const void *a, const void *b)
{
	double x = ((const struct obs *)a)->x, y = ((const struct obs *)b)->x;
	return (x > y) - (x < y);
}

/* Level of each observation for the information value: a choice, or a fifth of the numbers. */
static size_t levels_of(const struct tally *t, size_t *level)
{
	if (t->q->type != LF_ANSWER_NUMBER) {
		for (size_t i = 0; i < t->nobs; i++)
			level[i] = (size_t)t->obs[i].x;
		return t->q->type == LF_ANSWER_YES_NO ? 2 : t->q->nchoices;
	}
	/* sorted by value (the caller sorted obs); equal values share a fifth */
	for (size_t i = 0; i < t->nobs; i++)
		level[i] = i && t->obs[i].x == t->obs[i - 1].x ? level[i - 1] : i * 5 / t->nobs;
	return 5;
}

static double information_value(const struct tally *t, const size_t *level, size_t k,
				size_t npos)
{
	double iv = 0, nneg = (double)(t->nobs - npos);
	for (size_t j = 0; j < k; j++) {
		double p = 0.5, n = 0.5;   /* half a lead each way: no level is empty */
		for (size_t i = 0; i < t->nobs; i++)
			if (level[i] == j)
				*(t->obs[i].pos ? &p : &n) += 1;
		p /= (double)npos + 0.5 * (double)k;
		n /= nneg + 0.5 * (double)k;
		iv += (p - n) * log(p / n);
	}
	return iv;
}

/* Each fold's score from the other fold: a level's conversion there, or a signed number. */
static enum lf_result cross_fit(const struct tally *t, const size_t *level, size_t k,
				struct lf_scored *v)
{
	bool number = t->q->type == LF_ANSWER_NUMBER;
	double *pos = NULL, *all = NULL, sign[2] = { 1, 1 };

	if (number) {
		/* the direction in which the other half converts */
		for (int fold = 0; fold < 2; fold++) {
			size_t m = 0;
			for (size_t i = 0; i < t->nobs; i++)
				if (t->obs[i].fold != fold)
					v[m++] = (struct lf_scored){ t->obs[i].x, t->obs[i].pos };
			double a = lf_auc(v, m);
			sign[fold] = isnan(a) || a >= 0.5 ? 1 : -1;
		}
	} else {
		/* per fold and level: converted and all, from a prior of one in two */
		if (!(pos = calloc(2 * k, sizeof(*pos))) || !(all = calloc(2 * k, sizeof(*all)))) {
			free(pos);
			return LF_ERR_NOMEM;
		}
		for (size_t i = 0; i < t->nobs; i++) {
			size_t j = (size_t)t->obs[i].fold * k + level[i];
			pos[j] += t->obs[i].pos;
			all[j] += 1;
		}
	}
	for (size_t i = 0; i < t->nobs; i++) {
		int other = !t->obs[i].fold;
		size_t j = (size_t)other * k + level[i];
		double s = number ? sign[t->obs[i].fold] * t->obs[i].x : (pos[j] + 1) / (all[j] + 2);
		v[i] = (struct lf_scored){ s, t->obs[i].pos };
	}
	free(pos);
	free(all);
	return LF_OK;
}

static enum lf_result measure(struct tally *t, struct fit *out)
{
	size_t *level = NULL;
	struct lf_scored *v = NULL;

	memset(out, 0, sizeof(*out));
	out->auc = out->low = out->high = out->iv = NAN;
	out->n = t->nobs;
	for (size_t i = 0; i < t->nobs; i++)
		out->npos += t->obs[i].pos;
	if (!t->nobs || !out->npos || out->npos == t->nobs)
		return LF_OK;
	if (t->q->type == LF_ANSWER_NUMBER)
		qsort(t->obs, t->nobs, sizeof(*t->obs), by_x);
	level = malloc(t->nobs * sizeof(*level));
	v = malloc(2 * t->nobs * sizeof(*v));   /* the scores, then one half's */
	if (!level || !v) {
		free(level);
		free(v);
		return LF_ERR_NOMEM;
	}
	size_t k = levels_of(t, level);
	out->iv = information_value(t, level, k, out->npos);
	if (cross_fit(t, level, k, v)) {
		free(level);
		free(v);
		return LF_ERR_NOMEM;
	}
	/* each half's AUC on its own (the halves' scores are on scales of their
	 * own), weighted by its pairs; the variance of each by Hanley and McNeil */
	double pairs = 0, sum = 0, var = 0, w[2], a[2], se2[2];
	for (int fold = 0; fold < 2; fold++) {
		struct lf_scored *half = v + t->nobs;
		size_t m = 0;
		double n1 = 0;
		for (size_t i = 0; i < t->nobs; i++)
			if (t->obs[i].fold == fold) {
				n1 += t->obs[i].pos;
				half[m++] = v[i];
			}
		double n0 = (double)m - n1;
		a[fold] = lf_auc(half, m);
		w[fold] = isnan(a[fold]) ? 0 : n1 * n0;
		if (!w[fold])
			continue;
		double x = a[fold], q1 = x / (2 - x), q2 = 2 * x * x / (1 + x);
		se2[fold] = (x * (1 - x) + (n1 - 1) * (q1 - x * x) + (n0 - 1) * (q2 - x * x)) /
			    (n1 * n0);
		pairs += w[fold];
	}
	if (pairs > 0) {
		for (int fold = 0; fold < 2; fold++)
			if (w[fold]) {
				sum += w[fold] * a[fold];
				var += (w[fold] / pairs) * (w[fold] / pairs) * se2[fold];
			}
		/* each half is ordered by the other: with no signal, the two halves'
		 * AUCs lean the same way by 2/pi of their spreads (so the interval
		 * holds its 95% on noise; with signal it is a little wide) */
		if (w[0] && w[1])
			var += 2 * (w[0] / pairs) * (w[1] / pairs) * (2 / M_PI) *
			       sqrt(se2[0] * se2[1]);
		out->auc = sum / pairs;
		out->low = out->auc - 1.96 * sqrt(var);
		out->high = out->auc + 1.96 * sqrt(var);
	}
	free(level);
	free(v);
	return LF_OK;
}

static const char *verdict(const struct lf_question *q, const struct fit *m)
{
	if (q->type == LF_ANSWER_TEXT)
		return "text: read, not measured";
	if (m->n < MIN_DECIDED || m->npos < MIN_EACH || m->n - m->npos < MIN_EACH)
		return "too few answers";
	if (m->low > 0.5)
		return "predictive";
	if (m->high < RETIRE_BELOW)
		return "retire";
	return "unclear";
}

struct since_ctx {
	struct tally *t;
	size_t nt;
};

static enum lf_result on_first(void *ctx, const char *question, lf_time_ms at)
{
	struct since_ctx *c = ctx;
	for (size_t i = 0; i < c->nt; i++)
		if (!strcmp(c->t[i].q->key, question))
			c->t[i].since = at;
	return LF_OK;
}

static void cell(char *c, const char *fmt, double x)
{
	if (isnan(x))
		c[0] = 0;
	else
		snprintf(c, 32, fmt, x);
}

static int by_rep(const void *a, const void *b)
{
	int64_t x = ((const struct rep_count *)a)->rep_id, y = ((const struct rep_count *)b)->rep_id;
	return (x > y) - (x < y);
}

static enum lf_result rows(struct tally *t, bool won,
			   const struct lf_rep_names *names, struct lf_table *out)
{
	struct fit m;
	char c[10][32];
	enum lf_result r;

	if ((r = measure(t, &m)))
		return r;
	const char *outcome = t->q->ask == LF_ASK_QUALIFY || won ? "won" : "sql";
	snprintf(c[0], 32, "%lld", (long long)t->due);
	snprintf(c[1], 32, "%lld", (long long)t->answered);
	cell(c[2], "%.1f", t->due ? 100.0 * (double)t->answered / (double)t->due : NAN);
	snprintf(c[3], 32, "%zu", m.n);
	snprintf(c[4], 32, "%zu", m.npos);
	cell(c[5], "%.3f", m.auc);
	cell(c[6], "%.3f", m.low);
	cell(c[7], "%.3f", m.high);
	cell(c[8], "%.3f", m.iv);
	const char *row[14] = { t->q->key, lf_ask_at_name(t->q->ask), "(every rep)", c[0], c[1],
				c[2], outcome, c[3], c[4], c[5], c[6], c[7], c[8],
				verdict(t->q, &m) };
	if ((r = lf_table_add(out, row)))
		return r;
	if (t->nreps)
		qsort(t->reps, t->nreps, sizeof(*t->reps), by_rep);
	for (size_t i = 0; i < t->nreps; i++) {
		const struct rep_count *rc = &t->reps[i];
		char id[24];
		const char *name = rc->rep_id ? lf_rep_names_get(names, rc->rep_id) : "(no rep)";
		snprintf(id, sizeof(id), "%lld", (long long)rc->rep_id);
		snprintf(c[0], 32, "%lld", (long long)rc->due);
		snprintf(c[1], 32, "%lld", (long long)rc->answered);
		cell(c[2], "%.1f", rc->due ? 100.0 * (double)rc->answered / (double)rc->due : NAN);
		const char *rrow[14] = { t->q->key, lf_ask_at_name(t->q->ask), name ? name : id,
					 c[0], c[1], c[2], "", "", "", "", "", "", "", "" };
		if ((r = lf_table_add(out, rrow)))
			return r;
	}
	return LF_OK;
}

enum lf_result lf_report_questions(struct lf_store *s, const struct lf_report_filter *f,
				   struct lf_table *out, struct lf_error *err)
{
	static const char *const headers[] = { "question", "ask", "rep", "due", "answered",
					       "completion_pct", "outcome", "decided", "converted",
					       "auc", "auc_low", "auc_high", "iv", "verdict" };
	static const enum lf_stage stage_of[LF_ASK_KINDS] = { LF_STAGE_SAL, LF_STAGE_SQL };
	struct lf_model_def def;
	struct lf_model m;
	struct lf_rep_names names = { 0 };
	struct tally *t = NULL;
	int version;
	enum lf_result r;

	lf_table_init(out, 14, headers, 0x1FB8u);
	if ((r = lf_model_active(s, &def, &version, err))) {
		if (r == LF_ERR_NOT_FOUND)
			r = lf_error_set(err, LF_ERR_CONFLICT, "no model is active: the questions "
					 "are the active model's");
		return r;
	}
	if (def.nquestions && !(t = calloc(def.nquestions, sizeof(*t)))) {
		r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		goto out;
	}
	if ((r = lf_store_model_get(s, version, &m, err)))
		goto out;
	for (size_t i = 0; i < def.nquestions; i++)
		t[i] = (struct tally){ .q = &def.questions[i], .since = m.created_at };
	lf_model_release(&m);
	struct since_ctx sc = { t, def.nquestions };
	if ((r = lf_store_answer_firsts(s, on_first, &sc, err)) ||
	    (r = lf_rep_names_load(s, &names, err)))
		goto out;
	for (int k = 0; k < LF_ASK_KINDS; k++) {
		struct scan c = { .f = f, .t = t, .nt = def.nquestions, .ask = (enum lf_ask_at)k,
				  .now = lf_time_now() };
		lf_time_ms since = INT64_MAX;
		for (size_t i = 0; i < def.nquestions; i++)
			if (t[i].q->ask == c.ask && t[i].since < since)
				since = t[i].since;
		if (since == INT64_MAX)
			continue;
		r = lf_store_leads_entered(s, stage_of[k], since, on_lead, &c, err);
		if (r == LF_ERR_NOMEM)
			lf_error_set(err, r, "out of memory");
		if (r)
			goto out;
	}
	for (size_t i = 0; i < def.nquestions && !r; i++)
		if ((r = rows(&t[i], f->outcome_won, &names, out)) == LF_ERR_NOMEM)
			lf_error_set(err, r, "out of memory");
out:
	for (size_t i = 0; t && i < def.nquestions; i++) {
		free(t[i].reps);
		free(t[i].obs);
	}
	free(t);
	lf_rep_names_release(&names);
	lf_model_def_release(&def);
	return r;
}
