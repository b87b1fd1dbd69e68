/*
 * train.c - a scorecard from closed leads (train.h).
 */
#include "learn/train.h"

#include "core/names.h"
#include "core/rng.h"
#include "core/strmap.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_BINS 10
#define NONE -1

enum fkind { F_TEXT, F_NUMBER };

struct level {
	char *value;                /* text level, NULL for other/missing/bins */
	double lo, hi;              /* number bins: [lo, hi) */
	enum { L_VALUE, L_OTHER, L_MISSING, L_BIN } kind;
};

struct feature {
	char *name;
	bool field;                 /* a lead text field (else an attribute, or employees) */
	size_t offset;              /* a field's char * in struct lf_lead */
	enum fkind kind;
	struct level *levels;
	size_t nlevels;
	size_t first;               /* index of its first level in the weights */
	bool is_bool;
	struct lf_strmap values;    /* text level -> its position in levels */
	size_t col;                 /* its column in the cells */
};

/* One lead's value of one candidate field, resolved once. */
struct cell {
	const char *s;              /* text (or "true"/"false"), NULL for a number */
	double x;
	bool present, is_bool;
};

struct row {
	int64_t id;
	int y;
	int fold;
};

struct data {
	const struct lf_train_options *o;
	struct lf_lead *leads;
	struct row *rows;
	size_t n, cap;
	struct feature *f;
	size_t nf;
	char **seen;                /* every candidate field (not excluded), by column */
	size_t nseen;
	struct cell *cells;         /* n x nseen */
	size_t p;                   /* levels + 1 (the intercept, last) */
	int *x;                     /* n x nf active level (global index) */
};

/* --- reading the closed leads ------------------------------------------- */

static int label(const struct lf_lead *l, bool won)
{
	switch (l->stage) {
	case LF_STAGE_WON: return 1;
	case LF_STAGE_LOST: return won ? 0 : 1;     /* lost after an opportunity: reached sql */
	case LF_STAGE_SQL: case LF_STAGE_OPPORTUNITY: return won ? NONE : 1;
	case LF_STAGE_DISQUALIFIED: case LF_STAGE_RECYCLED: return 0;
	default: return NONE;
	}
}

static enum lf_result take(void *ctx, const struct lf_lead *l)
{
	struct data *d = ctx;
	int y = label(l, d->o->outcome_won);
	if (y == NONE || (l->source && !strcmp(l->source, "sales")))
		return LF_OK;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 1024;
		struct lf_lead *ls = realloc(d->leads, cap * sizeof(*ls));
		struct row *rs = ls ? realloc(d->rows, cap * sizeof(*rs)) : NULL;
		if (ls)
			d->leads = ls;
		if (!ls || !rs)
			return LF_ERR_NOMEM;
		d->rows = rs;
		d->cap = cap;
	}
	if (lf_lead_copy(&d->leads[d->n], l))
		return LF_ERR_NOMEM;
	d->rows[d->n] = (struct row){ l->id, y, 0 };
	d->n++;
	return LF_OK;
}

/* --- features and levels ---------------------------------------------- */

static const char *const text_fields[] = { "title", "country", "industry", "source",
					   "campaign" };

static bool excluded(const struct lf_train_options *o, const char *name)
{
	return lf_names_has(o->exclude, name, true); /* asymmetrique_* takes a prefix */
}

/* The cell of lead i for feature f. */
static const struct cell *cell_of(const struct data *d, size_t i, const struct feature *f)
{
	return &d->cells[i * d->nseen + f->col];
}

static void fill_cell(struct cell *c, const struct lf_value *v)
{
	c->present = v && v->type != LF_VAL_NULL;
	if (!c->present)
		return;
	c->s = NULL;
	if (v->type == LF_VAL_NUMBER)
		c->x = v->num;
	else if (v->type == LF_VAL_BOOL)
		c->s = v->b ? "true" : "false", c->is_bool = true;
	else
		c->s = v->str;
}

static bool safe_text(const char *s)
{
	return !strpbrk(s, "\"\\\n\r");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct tally { const char *v; size_t n; };

static int by_count(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->v, y->v);
}

static enum lf_result add_level(struct feature *f, struct level lv)
{
	struct level *v = realloc(f->levels, (f->nlevels + 1) * sizeof(*v));
	if (!v)
		return LF_ERR_NOMEM;
	f->levels = v;
	f->levels[f->nlevels++] = lv;
	return LF_OK;
}

/* Levels of a feature; false when it is not worth one (constant, an id). */
static enum lf_result build_levels(struct data *d, struct feature *f, bool *keep)
{
	double *nums = malloc(d->n * sizeof(*nums));
	struct tally *t = calloc(d->n + 1, sizeof(*t));
	struct lf_strmap seen;
	size_t nn = 0, nt = 0, missing = 0, texts = 0;
	size_t rare = d->n / 200 > 10 ? d->n / 200 : 10;
	enum lf_result r = LF_OK;

	*keep = false;
	lf_strmap_init(&seen);
	if (!nums || !t) {
		free(nums);
		free(t);
		return LF_ERR_NOMEM;
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct cell *c = cell_of(d, i, f);
		const char *s = c->s;
		double x = c->x;
		if (!c->present) {
			missing++;
			continue;
		}
		f->is_bool |= c->is_bool;
		if (s) {
			int64_t k;
			texts++;
			if (!lf_strmap_get(&seen, s, &k)) {
				if (nt > d->n / 2 + 1)   /* an identifier: one value a lead */
					goto out;
				k = (int64_t)nt;
				t[nt++].v = s;
				if (lf_strmap_put(&seen, s, k)) {
					r = LF_ERR_NOMEM;
					goto out;
				}
			}
			t[k].n++;
		} else {
			nums[nn++] = x;
		}
	}
	if (texts && nn) { /* mixed: read as text is not possible for numbers; leave it */
		goto out;
	}
	if (nn) {
		f->kind = F_NUMBER;
		qsort(nums, nn, sizeof(double), cmp_double);
		size_t distinct = 1;
		for (size_t i = 1; i < nn; i++)
			distinct += nums[i] != nums[i - 1];
		if (distinct < 2 || distinct > nn * 9 / 10)
			goto out;                        /* constant, or an id */
		double edges[MAX_BINS + 1];
		size_t ne = 0;
		for (int q = 1; q < MAX_BINS; q++) {
			double e = nums[nn * (size_t)q / MAX_BINS];
			if (e > nums[0] && (!ne || e > edges[ne - 1]))
				edges[ne++] = e;
		}
		double lo = -INFINITY;
		for (size_t k = 0; k <= ne && !r; k++) {
			double hi = k < ne ? edges[k] : INFINITY;
			r = add_level(f, (struct level){ NULL, lo, hi, L_BIN });
			lo = hi;
		}
	} else if (nt) {
		f->kind = F_TEXT;
		qsort(t, nt, sizeof(*t), by_count);
		bool other = false;
		for (size_t k = 0; k < nt && !r; k++) {
			if (t[k].n >= rare && safe_text(t[k].v)) {
				char *v = strdup(t[k].v);
				r = v ? add_level(f, (struct level){ v, 0, 0, L_VALUE }) : LF_ERR_NOMEM;
				if (!r)
					r = lf_strmap_put(&f->values, v, (int64_t)f->nlevels - 1);
			} else {
				other = true;
			}
		}
		if (!r && other)
			r = add_level(f, (struct level){ NULL, 0, 0, L_OTHER });
		if (f->nlevels + (missing ? 1 : 0) < 2)
			goto out;
	} else {
		goto out;
	}
	if (!r && missing)
		r = add_level(f, (struct level){ NULL, 0, 0, L_MISSING });
	*keep = !r;
out:
	lf_strmap_release(&seen);
	free(nums);
	free(t);
	return r;
}

static void feature_release(struct feature *f)
{
	for (size_t i = 0; i < f->nlevels; i++)
		free(f->levels[i].value);
	free(f->levels);
	free(f->name);
	lf_strmap_release(&f->values);
	memset(f, 0, sizeof(*f));
}

static enum lf_result add_feature(struct data *d, size_t col)
{
	struct feature f = { 0 };
	struct feature *v;
	bool keep;
	enum lf_result r;
	if (!(f.name = strdup(d->seen[col])))
		return LF_ERR_NOMEM;
	f.col = col;
	lf_strmap_init(&f.values);
	if ((r = build_levels(d, &f, &keep)) || !keep) {
		feature_release(&f);
		return r;
	}
	if (!(v = realloc(d->f, (d->nf + 1) * sizeof(*v)))) {
		feature_release(&f);
		return LF_ERR_NOMEM;
	}
	d->f = v;
	d->f[d->nf++] = f;
	return LF_OK;
}

/* A candidate field: its column (added when new and not excluded), or -1. */
static enum lf_result candidate(struct data *d, struct lf_strmap *cols, const char *name,
				int64_t *col)
{
	char **seen;
	if (lf_strmap_get(cols, name, col))
		return LF_OK;
	*col = -1;
	if (!excluded(d->o, name)) {
		if (!(seen = realloc(d->seen, (d->nseen + 1) * sizeof(*seen))))
			return LF_ERR_NOMEM;
		d->seen = seen;
		if (!(seen[d->nseen] = strdup(name)))
			return LF_ERR_NOMEM;
		*col = (int64_t)d->nseen++;
	}
	return lf_strmap_put(cols, name, *col);
}

/* The level of feature f that lead l falls in. */
static int level_of(const struct feature *f, const struct cell *c)
{
	const char *s = c->s;
	double x = c->x;
	if (!c->present) {
		for (size_t k = 0; k < f->nlevels; k++)
			if (f->levels[k].kind == L_MISSING)
				return (int)(f->first + k);
		return NONE;
	}
	int64_t pos;
	if (s && lf_strmap_get(&f->values, s, &pos))
		return (int)(f->first + (size_t)pos);
	for (size_t k = 0; k < f->nlevels; k++) {
		const struct level *lv = &f->levels[k];
		if ((lv->kind == L_BIN && !s && x >= lv->lo && x < lv->hi) ||
		    (lv->kind == L_OTHER && s))
			return (int)(f->first + k);
	}
	return NONE;
}

/* The candidate fields and every lead's value of each, then the features kept. */
static enum lf_result features(struct data *d)
{
	struct lf_strmap cols;
	size_t fields[sizeof(text_fields) / sizeof(text_fields[0])];
	int64_t col, employees = -1;
	enum lf_result r = LF_OK;

	lf_strmap_init(&cols);
	for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]) && !r; i++)
		r = candidate(d, &cols, text_fields[i], &col);
	if (!r)
		r = candidate(d, &cols, "employees", &employees);
	for (size_t i = 0; i < d->n && !r; i++)
		for (size_t a = 0; a < d->leads[i].attrs.n && !r; a++)
			r = candidate(d, &cols, d->leads[i].attrs.items[a].name, &col);
	if (!r && !(d->cells = calloc((d->n ? d->n : 1) * (d->nseen ? d->nseen : 1),
				      sizeof(*d->cells))))
		r = LF_ERR_NOMEM;
	for (size_t k = 0; k < sizeof(text_fields) / sizeof(text_fields[0]); k++) {
		fields[k] = 0;
		for (size_t i = 0; i < lf_lead_text_field_count; i++)
			if (!strcmp(lf_lead_text_fields[i].name, text_fields[k]))
				fields[k] = lf_lead_text_fields[i].offset;
	}
	for (size_t i = 0; i < d->n && !r; i++) {
		const struct lf_lead *l = &d->leads[i];
		struct cell *row = &d->cells[i * d->nseen];
		for (size_t k = 0; k < sizeof(text_fields) / sizeof(text_fields[0]); k++) {
			if (!lf_strmap_get(&cols, text_fields[k], &col) || col < 0)
				continue;
			row[col].s = *(char *const *)((const char *)l + fields[k]);
			row[col].present = row[col].s != NULL;
		}
		if (employees >= 0) {
			row[employees].x = l->employees;
			row[employees].present = !isnan(l->employees);
		}
		for (size_t a = 0; a < l->attrs.n; a++)
			if (lf_strmap_get(&cols, l->attrs.items[a].name, &col) && col >= 0)
				fill_cell(&row[col], &l->attrs.items[a].v);
	}
	lf_strmap_release(&cols);
	for (size_t c = 0; c < d->nseen && !r; c++)
		r = add_feature(d, c);
	if (r)
		return r;
	d->p = 0;
	for (size_t j = 0; j < d->nf; j++) {
		d->f[j].first = d->p;
		d->p += d->f[j].nlevels;
	}
	d->p++; /* the intercept */
	if (!(d->x = malloc((d->n ? d->n : 1) * (d->nf ? d->nf : 1) * sizeof(int))))
		return LF_ERR_NOMEM;
	for (size_t i = 0; i < d->n; i++)
		for (size_t j = 0; j < d->nf; j++)
			d->x[i * d->nf + j] = level_of(&d->f[j], cell_of(d, i, &d->f[j]));
	return LF_OK;
}

/* --- the fit --------------------------------------------------------------- */

static double logit_of(const struct data *d, size_t i, const double *w)
{
	double z = w[d->p - 1];
	for (size_t j = 0; j < d->nf; j++) {
		int k = d->x[i * d->nf + j];
		if (k >= 0)
			z += w[k];
	}
	return z;
}

/* Solves A x = b for symmetric positive definite A (n x n), in place (Cholesky). */
static bool solve(double *a, double *b, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		double s = a[j * n + j];
		for (size_t k = 0; k < j; k++)
			s -= a[j * n + k] * a[j * n + k];
		if (s <= 0)
			return false;
		a[j * n + j] = sqrt(s);
		for (size_t i = j + 1; i < n; i++) {
			double t = a[i * n + j];
			for (size_t k = 0; k < j; k++)
				t -= a[i * n + k] * a[j * n + k];
			a[i * n + j] = t / a[j * n + j];
		}
	}
	for (size_t i = 0; i < n; i++) {
		double t = b[i];
		for (size_t k = 0; k < i; k++)
			t -= a[i * n + k] * b[k];
		b[i] = t / a[i * n + i];
	}
	for (size_t i = n; i-- > 0;) {
		double t = b[i];
		for (size_t k = i + 1; k < n; k++)
			t -= a[k * n + i] * b[k];
		b[i] = t / a[i * n + i];
	}
	return true;
}

/*
 * Newton's method on the rows whose fold is not skip (-1: all), from w as
 * it is (zeros, or a fit on much the same rows: fewer steps).
 */
static enum lf_result fit(const struct data *d, int skip, double *w)
{
	size_t p = d->p;
	double *h = malloc(p * p * sizeof(*h)), *g = malloc(p * sizeof(*g));
	int idx[257];
	enum lf_result r = LF_OK;

	if (!h || !g || d->nf > 256) {
		free(h);
		free(g);
		return LF_ERR_NOMEM;
	}
	for (int it = 0; it < 30; it++) {
		double step = 0;
		memset(h, 0, p * p * sizeof(*h));
		for (size_t k = 0; k < p; k++) {
			g[k] = k + 1 < p ? -d->o->l2 * w[k] : 0;
			h[k * p + k] = k + 1 < p ? d->o->l2 : 1e-9;
		}
		for (size_t i = 0; i < d->n; i++) {
			size_t m = 0;
			if (d->rows[i].fold == skip)
				continue;
			double mu = 1 / (1 + exp(-logit_of(d, i, w))), wt = mu * (1 - mu);
			double res = d->rows[i].y - mu;
			for (size_t j = 0; j < d->nf; j++)
				if (d->x[i * d->nf + j] >= 0)
					idx[m++] = d->x[i * d->nf + j];
			idx[m++] = (int)p - 1;
			/* levels are distinct and increasing along a row: the lower
			 * triangle is enough (solve reads only that) */
			for (size_t a = 0; a < m; a++) {
				double *ha = h + (size_t)idx[a] * p;
				g[idx[a]] += res;
				for (size_t b = 0; b <= a; b++)
					ha[idx[b]] += wt;
			}
		}
		if (!solve(h, g, p)) {
			r = LF_ERR_INTERNAL;
			break;
		}
		for (size_t k = 0; k < p; k++) {
			w[k] += g[k];
			step = fmax(step, fabs(g[k]));
		}
		if (step < 1e-6)
			break;
	}
	free(h);
	free(g);
	return r;
}

struct scored { double s; int y; };

static int by_score(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;
	return (x->s > y->s) - (x->s < y->s);
}

/* The area under the ROC curve (ties count half). */
static double auc(struct scored *v, size_t n)
{
	double pos = 0, neg = 0, rank_sum = 0;
	qsort(v, n, sizeof(*v), by_score);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && v[j].s == v[i].s)
			j++;
		double rank = (double)(i + j + 1) / 2; /* 1-based average */
		for (size_t k = i; k < j; k++)
			if (v[k].y)
				rank_sum += rank, pos++;
			else
				neg++;
		i = j;
	}
	if (!pos || !neg)
		return NAN;
	return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

/* --- writing the model --------------------------------------------------- */

static void yaml_quoted(struct lf_buf *b, const char *s)
{
	lf_buf_addch(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			lf_buf_addch(b, '\'');
		lf_buf_addch(b, *s);
	}
	lf_buf_addch(b, '\'');
}

static void rule(struct lf_buf *b, const char *name, const char *when, double points)
{
	lf_buf_adds(b, "  - name: ");
	yaml_quoted(b, name);
	lf_buf_adds(b, "\n    when: ");
	yaml_quoted(b, when);
	lf_buf_addf(b, "\n    points: %.9g\n", points);
}

static void write_model(const struct data *d, const double *w, const struct lf_train_result *res,
			double base_rate, struct lf_buf *b)
{
	double scale = d->o->pdo / log(2);
	char when[2048], name[1024];
	time_t now = time(NULL);
	char day[32];
	strftime(day, sizeof(day), "%Y-%m-%d", gmtime(&now));
	lf_buf_addf(b, "# Trained by `leadflow model train` on %s from %lld closed leads (%lld "
		       "%s), outcome %s.\n# %d-fold stratified AUC %.3f +- %.3f. %.0f points "
		       "double the odds; the floor is the\n# score of a lead with the average odds."
		       " Review it, then propose it like any other.\n",
		    day, (long long)res->leads, (long long)res->positives,
		    d->o->outcome_won ? "won" : "reached sql",
		    d->o->outcome_won ? "won" : "sql", res->folds, res->auc_mean, res->auc_sd,
		    d->o->pdo);
	lf_buf_addf(b, "name: %s\nfloor: %.9g\nhalf_life_days: 30\nfit:\n",
		    d->o->name, scale * log(base_rate / (1 - base_rate)));
	rule(b, "base", "true", scale * w[d->p - 1]);
	for (size_t j = 0; j < d->nf; j++) {
		const struct feature *f = &d->f[j];
		for (size_t k = 0; k < f->nlevels; k++) {
			const struct level *lv = &f->levels[k];
			double pts = scale * w[f->first + k];
			switch (lv->kind) {
			case L_VALUE:
				snprintf(name, sizeof(name), "%s = %s", f->name, lv->value);
				if (f->is_bool)
					snprintf(when, sizeof(when), "%s == %s", f->name, lv->value);
				else
					snprintf(when, sizeof(when), "%s == \"%s\"", f->name, lv->value);
				break;
			case L_OTHER: {
				size_t n = (size_t)snprintf(when, sizeof(when), "%s not in [", f->name);
				for (size_t v = 0; v < f->nlevels && n < sizeof(when); v++)
					if (f->levels[v].kind == L_VALUE)
						n += (size_t)snprintf(when + n, sizeof(when) - n, "%s%s%s%s",
								      n > strlen(f->name) + 9 ? ", " : "",
								      f->is_bool ? "" : "\"",
								      f->levels[v].value,
								      f->is_bool ? "" : "\"");
				if (n < sizeof(when))
					snprintf(when + n, sizeof(when) - n, "]");
				snprintf(name, sizeof(name), "%s: another value", f->name);
				break;
			}
			case L_MISSING:
				snprintf(name, sizeof(name), "%s missing", f->name);
				snprintf(when, sizeof(when), "%s is null", f->name);
				break;
			case L_BIN:
				if (isinf(lv->lo))
					snprintf(when, sizeof(when), "%s < %.9g", f->name, lv->hi);
				else if (isinf(lv->hi))
					snprintf(when, sizeof(when), "%s >= %.9g", f->name, lv->lo);
				else
					snprintf(when, sizeof(when), "%s >= %.9g and %s < %.9g", f->name,
						 lv->lo, f->name, lv->hi);
				snprintf(name, sizeof(name), "%s: %s", f->name, when + strlen(f->name) + 1);
				break;
			}
			rule(b, name, when, pts);
		}
	}
	lf_buf_adds(b, "reasons:\n"
		       "  reject: [bad_timing, no_budget, wrong_contact, unreachable, no_need, "
		       "duplicate]\n"
		       "  disqualify: [competitor, student, spam, out_of_territory, "
		       "existing_customer]\n"
		       "  lost: [price, competitor_won, no_decision, timing]\n");
}

/* --- the whole ----------------------------------------------------------- */

void lf_train_defaults(struct lf_train_options *o)
{
	memset(o, 0, sizeof(*o));
	o->outcome_won = true;
	o->folds = 5;
	o->seed = 1;
	o->l2 = 1.0;
	o->pdo = 20;
	o->name = "trained";
}

/* One thread's share: folds k = parity, parity + 2, ..., and the final fit when final. */
struct worker {
	const struct data *d;
	struct scored *oof;
	const size_t *start;         /* each fold's first place in oof */
	struct lf_train_result *out;
	int parity;
	enum lf_result r;
	double *final;               /* the weights of the fit on every lead, or NULL */
};

static void *work(void *arg)
{
	struct worker *j = arg;
	const struct data *d = j->d;
	double *w = calloc(d->p, sizeof(*w));
	if (!w) {
		j->r = LF_ERR_NOMEM;
		return NULL;
	}
	for (int k = j->parity; k < d->o->folds && !j->r; k += 2) {
		size_t m = j->start[k];
		if ((j->r = fit(d, k, w)))
			break;
		for (size_t i = 0; i < d->n; i++)
			if (d->rows[i].fold == k)
				j->oof[m++] = (struct scored){ logit_of(d, i, w), d->rows[i].y };
		j->out->auc_folds[k] = auc(j->oof + j->start[k], m - j->start[k]);
	}
	if (!j->r && j->final) {
		memcpy(j->final, w, d->p * sizeof(*w));   /* a warm start */
		j->r = fit(d, -1, j->final);
	}
	free(w);
	return NULL;
}

static void stratify(struct data *d)
{
	struct lf_rng rng;
	int next[2] = { 0, 0 };
	size_t *order = malloc(d->n * sizeof(*order));
	lf_rng_seed(&rng, d->o->seed);
	if (!order) {
		for (size_t i = 0; i < d->n; i++)
			d->rows[i].fold = (int)(i % (size_t)d->o->folds);
		return;
	}
	for (size_t i = 0; i < d->n; i++)
		order[i] = i;
	for (size_t i = d->n; i > 1; i--) {            /* Fisher-Yates */
		size_t j = (size_t)lf_rng_below(&rng, i), t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < d->n; i++) {
		struct row *r = &d->rows[order[i]];
		r->fold = next[r->y]++ % d->o->folds;
	}
	free(order);
}


enum lf_result lf_train(struct lf_store *s, const struct lf_train_options *o,
			struct lf_train_result *out, struct lf_error *err)
{
	struct data d = { .o = o };
	struct lf_lead_filter f = LF_LEAD_FILTER_ALL;
	struct scored *oof = NULL;
	double *w = NULL;
	double t0;
	enum lf_result r;

	memset(out, 0, sizeof(*out));
	lf_buf_init(&out->model, 16u << 20);
	lf_buf_init(&out->calibration, 1u << 20);
	lf_buf_init(&out->predictions, 256u << 20);
	if (o->folds < 2 || o->folds > 32)
		return lf_error_field(err, LF_ERR_INPUT, "folds", "--folds must be 2 to 32");
	if ((r = lf_store_lead_list(s, &f, take, &d, err)))
		goto out;
	for (size_t i = 0; i < d.n; i++)
		out->positives += d.rows[i].y;
	out->leads = (int64_t)d.n;
	if (out->positives < o->folds || (int64_t)d.n - out->positives < o->folds) {
		r = lf_error_set(err, LF_ERR_INPUT, "%lld closed leads with %lld %s: too few to learn"
				 " from", (long long)d.n, (long long)out->positives,
				 o->outcome_won ? "won" : "reaching sql");
		goto out;
	}
	t0 = lf_clock_seconds();
	if ((r = features(&d)) || !(w = malloc(d.p * sizeof(*w))) ||
	    !(oof = malloc(d.n * sizeof(*oof)))) {
		r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		goto out;
	}
	out->features = d.nf;
	out->levels = d.p - 1;
	memset(w, 0, d.p * sizeof(*w));
	stratify(&d);
	out->folds = o->folds;
	/* each fold held out in turn (its AUC, its predictions for calibration),
	 * and the final fit on every lead: shared out between two threads */
	size_t m = d.n, start[33] = { 0 };
	for (size_t i = 0; i < d.n; i++)
		start[d.rows[i].fold + 1]++;
	for (int k = 0; k < o->folds; k++)
		start[k + 1] += start[k];
	struct worker jobs[2] = { { &d, oof, start, out, 0, LF_OK, NULL },
				  { &d, oof, start, out, 1, LF_OK, w } };
	pthread_t other;
	bool threaded = !pthread_create(&other, NULL, work, &jobs[1]);
	if (!threaded)
		work(&jobs[1]);
	work(&jobs[0]);
	if (threaded)
		pthread_join(other, NULL);
	if ((r = jobs[0].r) || (r = jobs[1].r)) {
		r = lf_error_set(err, r, "the fit did not converge");
		goto out;
	}
	for (size_t i = 0; i < m; i++)
		oof[i].s = 1 / (1 + exp(-oof[i].s));
	qsort(oof, m, sizeof(*oof), by_score);
	lf_buf_adds(&out->calibration, "decile,leads,predicted,observed\n");
	for (int q = 0; q < 10; q++) {
		size_t lo = m * (size_t)q / 10, hi = m * (size_t)(q + 1) / 10;
		double ps = 0, ys = 0;
		for (size_t i = lo; i < hi; i++)
			ps += oof[i].s, ys += oof[i].y;
		lf_buf_addf(&out->calibration, "%d,%zu,%.3f,%.3f\n", q + 1, hi - lo,
			    hi > lo ? ps / (double)(hi - lo) : 0, hi > lo ? ys / (double)(hi - lo) : 0);
	}
	double sum = 0, sq = 0;
	for (int k = 0; k < o->folds; k++)
		sum += out->auc_folds[k];
	out->auc_mean = sum / o->folds;
	for (int k = 0; k < o->folds; k++)
		sq += (out->auc_folds[k] - out->auc_mean) * (out->auc_folds[k] - out->auc_mean);
	out->auc_sd = sqrt(sq / (o->folds - 1));
	out->seconds = lf_clock_seconds() - t0;
	/* the ceiling, where the demo world kept its truth */
	out->truth_auc = NAN;
	m = 0;
	for (size_t i = 0; i < d.n; i++) {
		double p_sql, p_won;
		if (lf_store_truth_get(s, d.rows[i].id, &p_sql, &p_won, NULL) == LF_OK)
			oof[m++] = (struct scored){ o->outcome_won ? p_won : p_sql, d.rows[i].y };
	}
	if (m == d.n)
		out->truth_auc = auc(oof, m);
	write_model(&d, w, out, (double)out->positives / (double)out->leads, &out->model);
	lf_buf_adds(&out->predictions, "lead_id,logit\n");
	for (size_t i = 0; i < d.n; i++)
		lf_buf_addf(&out->predictions, "%lld,%.12g\n", (long long)d.rows[i].id,
			    logit_of(&d, i, w));
out:
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	for (size_t i = 0; i < d.n; i++)
		lf_lead_release(&d.leads[i]);
	for (size_t j = 0; j < d.nf; j++)
		feature_release(&d.f[j]);
	free(d.f);
	for (size_t i = 0; i < d.nseen; i++)
		free(d.seen[i]);
	free(d.seen);
	free(d.cells);
	free(d.leads);
	free(d.rows);
	free(d.x);
	free(w);
	free(oof);
	if (r)
		lf_train_result_release(out);
	return r;
}

void lf_train_result_release(struct lf_train_result *r)
{
	lf_buf_release(&r->model);
	lf_buf_release(&r->calibration);
	lf_buf_release(&r->predictions);
}
