/*
 * train.c - a scorecard from closed leads (train.h).
 *
 * The closed leads come as columns (learn/dataset.h). Columns become
 * features and their levels, levels a sparse design (each lead's active
 * levels and engagement values, in increasing order; leads with the same
 * entries share one pattern), and the design is fitted by Newton's method,
 * fold by fold and then on every lead, on two threads.
 */
#include <leadflow/json.h>
#include <leadflow/learn.h>
#include "score/scoring.h"

#include "core/rng.h"
#include "core/stats.h"
#include "core/strmap.h"
#include "learn/dataset.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_BINS 10
#define NONE -1
#define T_MISSING LF_CELL_MISSING
#define T_NUMBER LF_CELL_NUMBER

/* --- features ------------------------------------------------------------ */

enum lkind { L_VALUE, L_OTHER, L_MISSING, L_BIN };

struct level {
	int32_t text;               /* L_VALUE */
	double lo, hi;              /* L_BIN: [lo, hi) */
	enum lkind kind;
};

struct feature {
	size_t col;
	enum { F_TEXT, F_NUMBER, F_EVENT } kind;
	struct level *levels;
	size_t nlevels;
	size_t first;               /* its first weight */
	double knot;                /* F_EVENT: the value is min(count, knot) */
};

struct pair { int32_t a, b; };

/*
 * A sparse design: row i's entries (a lead's, then once folded a
 * pattern's) are idx[ptr[i] .. ptr[i+1]) with their values (val; NULL when
 * every value is 1), indexes increasing; then the row's pairs of levels,
 * pidx[pptr[i] .. pptr[i+1]), each worth 1. The intercept (p - 1) is
 * implicit.
 */
struct design {
	size_t p;
	size_t *ptr;
	int32_t *idx;
	double *val;
	struct pair *pairs;         /* pairs of levels, weights p_main .. p - 2 */
	size_t npairs;
	size_t *pptr;
	int32_t *pidx;
};

struct data {
	const struct lf_train_options *o;
	struct lf_dataset ds;       /* the closed leads, as columns */
	struct feature *f;
	size_t nf;
	size_t p_main;              /* levels and engagement pieces */
	size_t first_event;         /* weights from here to p_main are engagement pieces */
	struct design main;         /* one row per distinct pattern of entries */
	size_t npat;
	size_t *pat;                /* each lead's pattern */
	uint32_t *count;            /* per pattern: leads by fold and outcome,
				     * [(pattern * folds + fold) * 2 + y] */
	uint32_t *total;            /* per pattern: leads by outcome, [pattern * 2 + y] */
};

/* --- levels --------------------------------------------------------------- */

struct tally { int32_t t; size_t n; const char *s; };

static int by_count(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->s, y->s);
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

static enum lf_result add_feature(struct data *d, struct feature *f)
{
	struct feature *v = realloc(d->f, (d->nf + 1) * sizeof(*v));
	if (!v) {
		free(f->levels);
		return LF_ERR_NOMEM;
	}
	d->f = v;
	d->f[d->nf++] = *f;
	return LF_OK;
}

static bool safe_text(const char *s)
{
	return !strpbrk(s, "\"\\\n\r");
}

/* Quantile bins of a number column; none when constant or an identifier. */
static enum lf_result number_levels(struct feature *f, double *nums, size_t nn, bool *keep)
{
	enum lf_result r = LF_OK;
	double edges[MAX_BINS + 1] = { 0 }, lo = -INFINITY;
	size_t distinct = 1, ne = 0;
	lf_sort_doubles(nums, nn);
	for (size_t i = 1; i < nn; i++)
		distinct += nums[i] != nums[i - 1];
	if (distinct < 2 || distinct > nn * 9 / 10)
		return LF_OK;
	for (int q = 1; q < MAX_BINS; q++) {
		double e = nums[nn * (size_t)q / MAX_BINS];
		if (e > nums[0] && (!ne || e > edges[ne - 1]))
			edges[ne++] = e;
	}
	for (size_t k = 0; k <= ne && !r; k++) {
		double hi = k < ne ? edges[k] : INFINITY;
		r = add_level(f, (struct level){ 0, lo, hi, L_BIN });
		lo = hi;
	}
	*keep = !r;
	return r;
}

/* One-hot levels of a text column: values on at least `rare` rows, the rest pooled. */
static enum lf_result text_levels(struct data *d, struct feature *f, struct tally *t, size_t nt,
				  size_t missing, bool *keep)
{
	size_t rare = d->ds.n / 200 > 10 ? d->ds.n / 200 : 10;
	enum lf_result r = LF_OK;
	bool other = false;
	if (nt > d->ds.n / 2 + 1)
		return LF_OK;                           /* an identifier: one value a lead */
	qsort(t, nt, sizeof(*t), by_count);
	for (size_t k = 0; k < nt && !r; k++) {
		if (t[k].n >= rare && safe_text(t[k].s))
			r = add_level(f, (struct level){ t[k].t, 0, 0, L_VALUE });
		else
			other = true;
	}
	if (!r && other)
		r = add_level(f, (struct level){ 0, 0, 0, L_OTHER });
	*keep = !r && f->nlevels + (missing ? 1 : 0) >= 2;
	return r;
}

/* The features of a column: levels, or engagement pieces for an event column. */
static enum lf_result column_features(struct data *d, size_t c, double *nums, size_t *counts,
				      struct tally *t)
{
	const struct lf_column *col = &d->ds.cols[c];
	struct feature f = { .col = c };
	size_t nn = 0, nt = 0, missing = 0;
	bool keep = false;
	enum lf_result r = LF_OK;

	if (col->event) {
		/* two capped pieces: the first event's worth, and more up to the
		 * 90th percentile of the leads that have any */
		for (size_t i = 0; i < d->ds.n; i++)
			if (col->x[i] > 0)
				nums[nn++] = col->x[i];
		if (nn < 10)
			return LF_OK;
		lf_sort_doubles(nums, nn);
		double knots[2] = { 1, nums[nn * 9 / 10] };
		for (int k = 0; k < (knots[1] > 1.5 ? 2 : 1) && !r; k++) {
			struct feature e = { .col = c, .kind = F_EVENT, .knot = knots[k] };
			if (!(r = add_level(&e, (struct level){ 0, 0, 0, L_BIN })))
				r = add_feature(d, &e);
		}
		return r;
	}
	for (size_t i = 0; i < d->ds.n; i++) {
		int32_t x = col->v[i];
		if (x == T_MISSING)
			missing++;
		else if (x <= T_NUMBER)
			nums[nn++] = d->ds.nums.v[T_NUMBER - x];
		else if (!counts[x]++)
			t[nt++] = (struct tally){ x, 0, d->ds.texts[x] };
	}
	for (size_t k = 0; k < nt; k++) {
		t[k].n = counts[t[k].t];
		counts[t[k].t] = 0;
	}
	if (nn && nt)
		return LF_OK;   /* numbers and text mixed: no reading fits both */
	if (nn) {
		f.kind = F_NUMBER;
		r = number_levels(&f, nums, nn, &keep);
	} else if (nt) {
		f.kind = F_TEXT;
		r = text_levels(d, &f, t, nt, missing, &keep);
	}
	if (!r && keep && missing)
		r = add_level(&f, (struct level){ 0, 0, 0, L_MISSING });
	if (!r && keep)
		return add_feature(d, &f);
	free(f.levels);
	return r;
}

/* The weight row i activates in feature f (NONE: none), and its value. */
static int level_of(const struct data *d, const struct feature *f, size_t i,
		    const int32_t *text_level, double *val)
{
	const struct lf_column *col = &d->ds.cols[f->col];
	*val = 1;
	if (f->kind == F_EVENT) {
		*val = fmin(col->x[i], f->knot);
		return col->x[i] > 0 ? (int)f->first : NONE;
	}
	int32_t c = col->v[i];
	if (c == T_MISSING) {
		for (size_t k = 0; k < f->nlevels; k++)
			if (f->levels[k].kind == L_MISSING)
				return (int)(f->first + k);
		return NONE;
	}
	if (c >= 0 && text_level[c] >= 0)
		return (int)f->first + text_level[c];
	double x = c <= T_NUMBER ? d->ds.nums.v[T_NUMBER - c] : 0;
	for (size_t k = 0; k < f->nlevels; k++) {
		const struct level *lv = &f->levels[k];
		if ((lv->kind == L_BIN && c <= T_NUMBER && x >= lv->lo && x < lv->hi) ||
		    (lv->kind == L_OTHER && c >= 0))
			return (int)(f->first + k);
	}
	return NONE;
}

static void design_release(struct design *x)
{
	free(x->ptr);
	free(x->idx);
	free(x->val);
	free(x->pairs);
	free(x->pptr);
	free(x->pidx);
	memset(x, 0, sizeof(*x));
}

/* Features from the columns, then the main design. */
static enum lf_result features(struct data *d)
{
	double *nums = malloc((d->ds.n + 1) * sizeof(*nums));
	size_t *counts = calloc(d->ds.ntexts + 1, sizeof(*counts));
	struct tally *t = malloc((d->ds.n + 1) * sizeof(*t));
	int32_t *text_level = NULL;
	enum lf_result r = LF_OK;

	if (!nums || !counts || !t)
		r = LF_ERR_NOMEM;
	/* levels first, engagement pieces after them */
	for (int pass = 0; pass < 2 && !r; pass++)
		for (size_t c = 0; c < d->ds.ncols && !r; c++)
			if (d->ds.cols[c].event == (pass == 1))
				r = column_features(d, c, nums, counts, t);
	d->p_main = 0;
	d->first_event = SIZE_MAX;
	for (size_t j = 0; j < d->nf; j++) {
		d->f[j].first = d->p_main;
		if (d->f[j].kind == F_EVENT && d->first_event == SIZE_MAX)
			d->first_event = d->p_main;
		d->p_main += d->f[j].nlevels;
	}
	if (d->first_event == SIZE_MAX)
		d->first_event = d->p_main;
	struct design *x = &d->main;
	x->p = d->p_main + 1;
	size_t cap = d->ds.n * d->nf + 1, m = 0;
	bool values = d->first_event < d->p_main;
	/* each feature's level of each interned text */
	if (!r && (!(text_level = malloc((d->nf * d->ds.ntexts + 1) * sizeof(*text_level))) ||
		   !(x->ptr = malloc((d->ds.n + 1) * sizeof(*x->ptr))) ||
		   !(x->idx = malloc(cap * sizeof(*x->idx))) ||
		   (values && !(x->val = malloc(cap * sizeof(*x->val))))))
		r = LF_ERR_NOMEM;
	if (r)
		goto out;
	for (size_t j = 0; j < d->nf; j++) {
		int32_t *tl = text_level + j * d->ds.ntexts;
		for (size_t k = 0; k < d->ds.ntexts; k++)
			tl[k] = NONE;
		for (size_t k = 0; k < d->f[j].nlevels; k++)
			if (d->f[j].levels[k].kind == L_VALUE)
				tl[d->f[j].levels[k].text] = (int32_t)k;
	}
	for (size_t i = 0; i < d->ds.n; i++) {
		x->ptr[i] = m;
		for (size_t j = 0; j < d->nf; j++) {
			double v;
			int k = level_of(d, &d->f[j], i, text_level + j * d->ds.ntexts, &v);
			if (k == NONE)
				continue;
			if (values)
				x->val[m] = v;
			x->idx[m++] = k;
		}
	}
	x->ptr[d->ds.n] = m;
out:
	free(nums);
	free(counts);
	free(t);
	free(text_level);
	return r;
}

/* --- patterns ------------------------------------------------------------- */

/*
 * Leads with the same entries get the same prediction, so the fits run over
 * the distinct patterns, each weighed by its leads outside the held-out fold
 * (a pattern's leads by outcome and fold are counted once).
 */
static void weights(const struct data *d, size_t q, int skip, double *pos, double *neg)
{
	*pos = d->total[q * 2 + 1];
	*neg = d->total[q * 2];
	if (skip >= 0) {
		const uint32_t *c = d->count + (q * (size_t)d->o->folds + (size_t)skip) * 2;
		*pos -= c[1];
		*neg -= c[0];
	}
}

static uint64_t pattern_hash(const struct design *x, size_t i)
{
	uint64_t h = lf_hash64(x->idx + x->ptr[i], (x->ptr[i + 1] - x->ptr[i]) * sizeof(int32_t));
	if (x->val)
		h ^= lf_hash64(x->val + x->ptr[i], (x->ptr[i + 1] - x->ptr[i]) * sizeof(double)) * 31;
	return h;
}

static bool same_pattern(const struct design *x, size_t i, size_t j)
{
	size_t n = x->ptr[i + 1] - x->ptr[i];
	return n == x->ptr[j + 1] - x->ptr[j] &&
	       !memcmp(x->idx + x->ptr[i], x->idx + x->ptr[j], n * sizeof(int32_t)) &&
	       (!x->val || !memcmp(x->val + x->ptr[i], x->val + x->ptr[j], n * sizeof(double)));
}

/* The main design's rows folded into distinct patterns, with their counts. */
static enum lf_result patterns(struct data *d)
{
	struct design *x = &d->main;
	size_t cap = 16, folds = (size_t)d->o->folds;
	while (cap < d->ds.n * 2)
		cap *= 2;
	int64_t *slot = malloc(cap * sizeof(*slot));
	size_t *first = malloc((d->ds.n + 1) * sizeof(*first));
	if (!slot || !first || !(d->pat = malloc((d->ds.n + 1) * sizeof(*d->pat)))) {
		free(slot);
		free(first);
		return LF_ERR_NOMEM;
	}
	for (size_t k = 0; k < cap; k++)
		slot[k] = -1;
	d->npat = 0;
	for (size_t i = 0; i < d->ds.n; i++) {
		size_t k = pattern_hash(x, i) & (cap - 1);
		while (slot[k] >= 0 && !same_pattern(x, first[slot[k]], i))
			k = (k + 1) & (cap - 1);
		if (slot[k] < 0) {
			slot[k] = (int64_t)d->npat;
			first[d->npat++] = i;
		}
		d->pat[i] = (size_t)slot[k];
	}
	free(slot);
	d->count = calloc(d->npat * folds * 2 + 1, sizeof(*d->count));
	d->total = calloc(d->npat * 2 + 1, sizeof(*d->total));
	if (!d->count || !d->total) {
		free(first);
		return LF_ERR_NOMEM;
	}
	for (size_t i = 0; i < d->ds.n; i++) {
		d->count[(d->pat[i] * folds + (size_t)d->ds.rows[i].fold) * 2 + (size_t)d->ds.rows[i].y]++;
		d->total[d->pat[i] * 2 + (size_t)d->ds.rows[i].y]++;
	}
	/* the patterns' entries, packed in place: a pattern's first lead comes no
	 * earlier than the pattern itself */
	size_t e = 0;
	for (size_t q = 0; q < d->npat; q++) {
		size_t i = first[q], n = x->ptr[i + 1] - x->ptr[i], from = x->ptr[i];
		memmove(x->idx + e, x->idx + from, n * sizeof(*x->idx));
		if (x->val)
			memmove(x->val + e, x->val + from, n * sizeof(*x->val));
		x->ptr[q] = e;
		e += n;
	}
	x->ptr[d->npat] = e;
	free(first);
	return LF_OK;
}

/* --- the fit --------------------------------------------------------------- */

static double logit_of(const struct design *x, size_t i, const double *w)
{
	double z = w[x->p - 1];
	for (size_t e = x->ptr[i]; e < x->ptr[i + 1]; e++)
		z += w[x->idx[e]] * (x->val ? x->val[e] : 1);
	for (size_t e = x->pptr ? x->pptr[i] : 0; x->pptr && e < x->pptr[i + 1]; e++)
		z += w[x->pidx[e]];
	return z;
}

/* Pattern i's entries, pairs included, in increasing order; returns how many. */
static size_t entries(const struct design *x, size_t i, int32_t *idx, double *val)
{
	size_t m = 0;
	for (size_t e = x->ptr[i]; e < x->ptr[i + 1]; e++, m++) {
		idx[m] = x->idx[e];
		val[m] = x->val ? x->val[e] : 1;
	}
	for (size_t e = x->pptr ? x->pptr[i] : 0; x->pptr && e < x->pptr[i + 1]; e++, m++) {
		idx[m] = x->pidx[e];
		val[m] = 1;
	}
	return m;
}

/* Cholesky: the lower triangle of A (n x n, symmetric positive definite) becomes L. */
static bool factor(double *a, size_t n)
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
	return true;
}

/* Solves L L' x = b in place, L from factor(). */
static void substitute(const double *a, double *b, size_t n)
{
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
}

/*
 * Newton's method over the patterns, each weighed by its leads outside fold
 * skip (-1: all), from w as it is (zeros, or a fit on much the same leads:
 * fewer steps). Weights marked in fixed stay as they are. Once the steps are small the Hessian hardly
 * changes: its last factor is kept and only the gradient is recomputed (a
 * pass over the entries rather than over their pairs), while that still
 * shrinks the step well.
 */
static enum lf_result fit(const struct data *d, const struct design *x, int skip,
			  const bool *fixed, double *w)
{
	size_t p = x->p;
	double *h = malloc(p * p * sizeof(*h)), *g = malloc(p * sizeof(*g));
	double *val = malloc(p * sizeof(*val));
	int32_t *idx = malloc(p * sizeof(*idx));
	enum lf_result r = LF_OK;

	if (!h || !g || !val || !idx) {
		free(h);
		free(g);
		free(val);
		free(idx);
		return LF_ERR_NOMEM;
	}
	double last = INFINITY;
	bool factored = false;
	r = LF_ERR_INTERNAL;   /* until the steps vanish */
	for (int it = 0; it < 100; it++) {
		double step = 0;
		bool full = !factored || last > 0.5;
		if (full)
			memset(h, 0, p * p * sizeof(*h));
		for (size_t k = 0; k < p; k++) {
			g[k] = k + 1 < p ? -d->o->l2 * w[k] : 0;
			if (full)
				h[k * p + k] = k + 1 < p ? d->o->l2 : 1e-9;
		}
		double *hi = h + (p - 1) * p;     /* the intercept's row */
		for (size_t q = 0; q < d->npat; q++) {
			double pos, neg;
			weights(d, q, skip, &pos, &neg);
			if (pos + neg == 0)
				continue;
			size_t m = entries(x, q, idx, val);
			double z = w[p - 1];
			for (size_t a = 0; a < m; a++)
				z += w[idx[a]] * val[a];
			double mu = 1 / (1 + exp(-z)), wt = (pos + neg) * mu * (1 - mu);
			double res = pos - (pos + neg) * mu;
			g[p - 1] += res;
			if (!full) {
				for (size_t a = 0; a < m; a++)
					g[idx[a]] += res * val[a];
				continue;
			}
			/* indexes increase along a row: the lower triangle is enough
			 * (factor reads only that) */
			for (size_t a = 0; a < m; a++) {
				double wa = wt * val[a], *ha = h + (size_t)idx[a] * p;
				g[idx[a]] += res * val[a];
				for (size_t b = 0; b <= a; b++)
					ha[idx[b]] += wa * val[b];
				hi[idx[a]] += wa;
			}
			hi[p - 1] += wt;
		}
		for (size_t k = 0; fixed && k + 1 < p; k++)
			if (fixed[k]) {
				for (size_t j = 0; full && j < p; j++)
					h[k * p + j] = h[j * p + k] = 0;
				if (full)
					h[k * p + k] = 1;
				g[k] = 0;
			}
		if (full && !(factored = factor(h, p))) {
			r = LF_ERR_INTERNAL;
			break;
		}
		substitute(h, g, p);
		for (size_t k = 0; k < p; k++) {
			w[k] += g[k];
			step = fmax(step, fabs(g[k]));
		}
		if (step < 1e-6) {
			r = LF_OK;
			break;
		}
		if (!full && step > last / 2)
			factored = false;  /* the old Hessian no longer leads well */
		last = step;
	}
	free(h);
	free(g);
	free(val);
	free(idx);
	return r;
}

/*
 * An engagement piece becomes a rule whose cap is its points times its
 * knot: that needs points above zero. A piece fitted below zero is fixed
 * at zero and the rest refitted, until none is.
 */
static enum lf_result fit_signed(const struct data *d, const struct design *x, int skip,
				 double *w)
{
	bool *fixed = calloc(x->p, sizeof(*fixed));
	enum lf_result r = fixed ? LF_OK : LF_ERR_NOMEM;
	for (bool again = true; again && !r;) {
		again = false;
		if ((r = fit(d, x, skip, fixed, w)))
			break;
		for (size_t k = d->first_event; k < d->p_main; k++)
			if (!fixed[k] && w[k] < 0)
				fixed[k] = again = true, w[k] = 0;
	}
	free(fixed);
	return r;
}

/* --- pairs of levels --------------------------------------------------------- */

struct cand { struct pair pr; double chi2; };

static int by_chi2(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->chi2 != y->chi2)
		return x->chi2 > y->chi2 ? -1 : 1;
	if (x->pr.a != y->pr.a)
		return x->pr.a - y->pr.a;
	return x->pr.b - y->pr.b;
}

/*
 * The pairs of levels the main effects w (fitted on the rows outside fold
 * skip) explain worst: the score test of each pair seen on at least 1% of
 * those rows, the strongest `pairs` kept.
 */
static enum lf_result find_pairs(const struct data *d, int skip, const double *w,
				 struct pair **out, size_t *nout)
{
	size_t pl = d->first_event, rows = 0;
	double *u = calloc(pl * pl + 1, sizeof(*u)), *v = calloc(pl * pl + 1, sizeof(*v));
	uint32_t *cnt = calloc(pl * pl + 1, sizeof(*cnt));
	struct cand *c = NULL;
	size_t nc = 0;
	enum lf_result r = LF_OK;

	*out = NULL;
	*nout = 0;
	if (!u || !v || !cnt || !(c = malloc((pl * pl / 2 + 1) * sizeof(*c)))) {
		r = LF_ERR_NOMEM;
		goto out;
	}
	for (size_t q = 0; q < d->npat; q++) {
		double pos, neg;
		weights(d, q, skip, &pos, &neg);
		if (pos + neg == 0)
			continue;
		rows += (size_t)(pos + neg);
		double mu = 1 / (1 + exp(-logit_of(&d->main, q, w)));
		double res = pos - (pos + neg) * mu, wt = (pos + neg) * mu * (1 - mu);
		uint32_t n = (uint32_t)(pos + neg);
		size_t e0 = d->main.ptr[q], e1 = d->main.ptr[q + 1];
		for (size_t a = e0; a < e1 && (size_t)d->main.idx[a] < pl; a++) {
			size_t base = (size_t)d->main.idx[a] * pl;
			for (size_t b = e0; b < a; b++) {
				u[base + (size_t)d->main.idx[b]] += res;
				v[base + (size_t)d->main.idx[b]] += wt;
				cnt[base + (size_t)d->main.idx[b]] += n;
			}
		}
	}
	size_t support = rows / 100 > 30 ? rows / 100 : 30;
	for (size_t a = 0; a < pl; a++)
		for (size_t b = 0; b < a; b++)
			if (cnt[a * pl + b] >= support && v[a * pl + b] > 0)
				c[nc++] = (struct cand){ { (int32_t)b, (int32_t)a },
							 u[a * pl + b] * u[a * pl + b] / v[a * pl + b] };
	qsort(c, nc, sizeof(*c), by_chi2);
	if (nc > (size_t)d->o->pairs)
		nc = (size_t)d->o->pairs;
	if (nc && !(*out = malloc(nc * sizeof(**out)))) {
		r = LF_ERR_NOMEM;
		goto out;
	}
	for (size_t k = 0; k < nc; k++)
		(*out)[k] = c[k].pr;
	*nout = nc;
out:
	free(u);
	free(v);
	free(cnt);
	free(c);
	return r;
}

static bool row_has(const struct design *x, size_t i, int32_t k)
{
	size_t lo = x->ptr[i], hi = x->ptr[i + 1];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (x->idx[mid] == k)
			return true;
		if (x->idx[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The main design with the pairs' weights after the main ones (pairs owned by it). */
static enum lf_result with_pairs(const struct data *d, struct pair *pairs, size_t np,
				 struct design *x)
{
	const struct design *m = &d->main;
	size_t e = 0, cap = 1024;
	*x = *m;   /* the main entries are borrowed, not owned */
	x->pairs = pairs;
	x->npairs = np;
	x->p = d->p_main + np + 1;
	if (!(x->pptr = malloc((d->npat + 1) * sizeof(*x->pptr))) ||
	    !(x->pidx = malloc(cap * sizeof(*x->pidx))))
		return LF_ERR_NOMEM;
	for (size_t i = 0; i < d->npat; i++) {
		x->pptr[i] = e;
		for (size_t k = 0; k < np; k++)
			if (row_has(m, i, pairs[k].a) && row_has(m, i, pairs[k].b)) {
				if (e == cap) {
					int32_t *v = realloc(x->pidx, (cap *= 2) * sizeof(*v));
					if (!v)
						return LF_ERR_NOMEM;
					x->pidx = v;
				}
				x->pidx[e++] = (int32_t)(d->p_main + k);
			}
	}
	x->pptr[d->npat] = e;
	return LF_OK;
}

/* A design with pairs: its main entries are borrowed from the data's. */
static void pairs_release(struct design *x)
{
	x->ptr = NULL;
	x->idx = NULL;
	x->val = NULL;
	design_release(x);
}

/*
 * A whole fit on the rows outside fold skip: main effects (from wm as it
 * is, and left there: the next fold starts warm), then pairs found on those
 * rows and everything refitted with them. x gets the design used, w
 * (allocated) its weights.
 */
static enum lf_result fit_all(const struct data *d, int skip, double *wm, struct design *x,
			      double **w)
{
	struct pair *pairs = NULL;
	size_t np = 0;
	enum lf_result r = fit_signed(d, &d->main, skip, wm);

	*w = NULL;
	memset(x, 0, sizeof(*x));
	if (!r && d->o->pairs > 0)
		r = find_pairs(d, skip, wm, &pairs, &np);
	if (!r && (r = with_pairs(d, pairs, np, x)))
		pairs_release(x);
	if (!r && !(*w = calloc(x->p, sizeof(**w))))
		r = LF_ERR_NOMEM;
	if (!r) {
		memcpy(*w, wm, d->p_main * sizeof(**w));   /* a warm start */
		(*w)[x->p - 1] = wm[d->main.p - 1];
		r = np ? fit_signed(d, x, skip, *w) : LF_OK;
	}
	if (!x->pairs)
		free(pairs);
	return r;
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

static void rule(struct lf_buf *b, const char *name, const char *when, double points,
		 const char *why)
{
	lf_buf_adds(b, "  - name: ");
	yaml_quoted(b, name);
	lf_buf_adds(b, "\n    when: ");
	yaml_quoted(b, when);
	lf_buf_addf(b, "\n    points: %.9g\n    why: ", points);
	yaml_quoted(b, why);
	lf_buf_addch(b, '\n');
}

/* The name and condition of weight k (a level). */
static void describe(const struct data *d, size_t k, char *name, size_t nsz, char *when,
		     size_t wsz)
{
	const struct feature *f = d->f;
	while (k >= f->first + f->nlevels)
		f++;
	const struct level *lv = &f->levels[k - f->first];
	const struct lf_column *c = &d->ds.cols[f->col];
	const char *q = c->is_bool ? "" : "\"";
	switch (lv->kind) {
	case L_VALUE:
		snprintf(name, nsz, "%s = %s", c->name, d->ds.texts[lv->text]);
		snprintf(when, wsz, "%s == %s%s%s", c->name, q, d->ds.texts[lv->text], q);
		break;
	case L_OTHER: {
		size_t n = (size_t)snprintf(when, wsz, "%s not in [", c->name);
		bool first = true;
		for (size_t v = 0; v < f->nlevels && n < wsz; v++)
			if (f->levels[v].kind == L_VALUE) {
				n += (size_t)snprintf(when + n, wsz - n, "%s%s%s%s", first ? "" : ", ",
						      q, d->ds.texts[f->levels[v].text], q);
				first = false;
			}
		if (n < wsz)
			snprintf(when + n, wsz - n, "]");
		snprintf(name, nsz, "%s: another value", c->name);
		break;
	}
	case L_MISSING:
		snprintf(name, nsz, "%s missing", c->name);
		snprintf(when, wsz, "%s is null", c->name);
		break;
	case L_BIN: {
		/* edges that read back to the same double: a lead exactly on an edge
		 * lands in the bin the fit put it in */
		char lo[32], hi[32];
		lf_double_text(lv->lo, lo);
		lf_double_text(lv->hi, hi);
		if (isinf(lv->lo))
			snprintf(when, wsz, "%s < %s", c->name, hi);
		else if (isinf(lv->hi))
			snprintf(when, wsz, "%s >= %s", c->name, lo);
		else
			snprintf(when, wsz, "%s >= %s and %s < %s", c->name, lo, c->name, hi);
		snprintf(name, nsz, "%s: %s", c->name, when + strlen(c->name) + 1);
		break;
	}
	}
}

/* Without an active model: the codes of models/default.yaml, for the teams to say why. */
static const char *const reject_codes[] = { "bad_timing", "no_budget", "wrong_contact",
					    "unreachable", "no_need", "duplicate", NULL };
static const char *const disqualify_codes[] = { "competitor", "student", "spam",
						"out_of_territory", "existing_customer", NULL };
static const char *const lost_codes[] = { "price", "competitor_won", "no_decision", "timing",
					  NULL };
static const char *const *const fallback_reasons[LF_REASON_KINDS] = {
	reject_codes, disqualify_codes, lost_codes, NULL, NULL,
};

static void write_model(const struct data *d, const struct design *x, const double *w,
			const struct lf_train_result *res, double base_rate,
			const struct lf_model_def *active, struct lf_buf *b)
{
	double scale = d->o->pdo / log(2);
	char when[4096], name[2048], w2[2048], n2[1024];
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
	lf_buf_addf(b, "name: %s\nfloor: %.9g\nhalf_life_days: %.9g\nfit:\n", d->o->name,
		    scale * log(base_rate / (1 - base_rate)), d->o->half_life_days);
	/* a learned rule's why: what the points measure, from what */
	char why[256];
	snprintf(why, sizeof(why), "Learned from %lld closed leads: how much more (or less) "
		 "often leads it matches %s than the others.", (long long)res->leads,
		 d->o->outcome_won ? "were won" : "reached sql");
	rule(b, "base", "true", scale * w[x->p - 1],
	     "The odds of the average lead, so that the floor means them.");
	for (size_t k = 0; k < d->first_event; k++) {
		describe(d, k, name, sizeof(name), when, sizeof(when));
		rule(b, name, when, scale * w[k], why);
	}
	for (size_t k = 0; k < x->npairs; k++) {
		describe(d, (size_t)x->pairs[k].a, name, sizeof(name), when, sizeof(when));
		describe(d, (size_t)x->pairs[k].b, n2, sizeof(n2), w2, sizeof(w2));
		struct lf_buf both;
		lf_buf_init(&both, sizeof(when) * 3);
		lf_buf_addf(&both, "(%s) and (%s)", when, w2);
		size_t nl = strlen(name);
		snprintf(name + nl, sizeof(name) - nl, " and %s", n2);
		rule(b, name, lf_buf_str(&both), scale * w[d->p_main + k], why);
		lf_buf_release(&both);
	}
	bool any = false;
	for (size_t j = 0; j < d->nf; j++) {
		const struct feature *f = &d->f[j];
		double pts = scale * w[f->first];
		if (f->kind != F_EVENT || pts <= 0)
			continue;
		if (!any)
			lf_buf_adds(b, "engagement:\n");
		any = true;
		snprintf(name, sizeof(name), "%s: up to %.3g", d->ds.cols[f->col].name, f->knot);
		lf_buf_adds(b, "  - name: ");
		yaml_quoted(b, name);
		lf_buf_adds(b, "\n    event: ");
		yaml_quoted(b, d->ds.cols[f->col].name);
		lf_buf_addf(b, "\n    points: %.9g\n    cap: %.9g\n    why: ", pts, pts * f->knot);
		yaml_quoted(b, why);
		lf_buf_addch(b, '\n');
	}
	/* the reason lists both teams agreed to: the active model's, when there is one */
	lf_buf_adds(b, "reasons:\n");
	for (int k = 0; k < LF_REASON_KINDS; k++) {
		size_t n = active ? active->nreasons[k] : 0;
		if (active ? !lf_model_has_reason_list(active, (enum lf_reason_kind)k)
			   : !fallback_reasons[k])
			continue;
		lf_buf_addf(b, "  %s:\n", lf_reason_kind_name((enum lf_reason_kind)k));
		for (size_t i = 0; active ? i < n : fallback_reasons[k][i] != NULL; i++) {
			const char *code = active ? active->reasons[k][i] : fallback_reasons[k][i];
			const char *rw = active ? active->reason_notes[k][i].why : NULL;
			if (!rw) {   /* validate says it has none */
				lf_buf_addf(b, "    - %s\n", code);
				continue;
			}
			lf_buf_addf(b, "    - {code: %s, why: ", code);
			yaml_quoted(b, rw);
			lf_buf_adds(b, "}\n");
		}
	}
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
	o->pairs = 8;
	o->half_life_days = 30;
	o->name = "trained";
}

/* One thread's share: folds k = parity, parity + 2, ..., and the final fit when final. */
struct worker {
	const struct data *d;
	struct lf_scored *oof;
	const size_t *start;         /* each fold's first place in oof */
	struct lf_train_result *out;
	int parity;
	enum lf_result r;
	bool final;
	struct design x;             /* the final fit's design and weights */
	double *w;
};

static void *work(void *arg)
{
	struct worker *j = arg;
	const struct data *d = j->d;
	double *wm = calloc(d->main.p, sizeof(*wm));
	if (!wm) {
		j->r = LF_ERR_NOMEM;
		return NULL;
	}
	for (int k = j->parity; k < d->o->folds && !j->r; k += 2) {
		struct design x;
		double *w;
		size_t m = j->start[k];
		if (!(j->r = fit_all(d, k, wm, &x, &w)))
			for (size_t i = 0; i < d->ds.n; i++)
				if (d->ds.rows[i].fold == k)
					j->oof[m++] = (struct lf_scored){ logit_of(&x, d->pat[i], w),
									  d->ds.rows[i].y };
		pairs_release(&x);
		free(w);
		if (!j->r)
			j->out->auc_folds[k] = lf_auc(j->oof + j->start[k], m - j->start[k]);
	}
	if (!j->r && j->final)
		j->r = fit_all(d, -1, wm, &j->x, &j->w);
	free(wm);
	return NULL;
}

static void stratify(struct data *d)
{
	struct lf_rng rng;
	int next[2] = { 0, 0 };
	size_t *order = malloc(d->ds.n * sizeof(*order));
	lf_rng_seed(&rng, d->o->seed);
	if (!order) {
		for (size_t i = 0; i < d->ds.n; i++)
			d->ds.rows[i].fold = (int)(i % (size_t)d->o->folds);
		return;
	}
	for (size_t i = 0; i < d->ds.n; i++)
		order[i] = i;
	for (size_t i = d->ds.n; i > 1; i--) {            /* Fisher-Yates */
		size_t j = (size_t)lf_rng_below(&rng, i), t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < d->ds.n; i++) {
		struct lf_row *r = &d->ds.rows[order[i]];
		r->fold = next[r->y]++ % d->o->folds;
	}
	free(order);
}

static void data_release(struct data *d)
{
	lf_dataset_release(&d->ds);
	for (size_t j = 0; j < d->nf; j++)
		free(d->f[j].levels);
	free(d->f);
	free(d->pat);
	free(d->count);
	free(d->total);
	design_release(&d->main);
}

static void calibration(struct lf_scored *oof, size_t m, struct lf_buf *b)
{
	for (size_t i = 0; i < m; i++)
		oof[i].s = 1 / (1 + exp(-oof[i].s));
	lf_scored_sort(oof, m);
	lf_buf_adds(b, "decile,leads,predicted,observed\n");
	for (int q = 0; q < 10; q++) {
		size_t lo = m * (size_t)q / 10, hi = m * (size_t)(q + 1) / 10;
		double ps = 0, ys = 0;
		for (size_t i = lo; i < hi; i++)
			ps += oof[i].s, ys += oof[i].y;
		lf_buf_addf(b, "%d,%zu,%.3f,%.3f\n", q + 1, hi - lo,
			    hi > lo ? ps / (double)(hi - lo) : 0, hi > lo ? ys / (double)(hi - lo) : 0);
	}
}

enum lf_result lf_train(struct lf_store *s, const struct lf_train_options *o,
			struct lf_train_result *out, struct lf_error *err)
{
	struct data d = { .o = o };
	struct lf_scored *oof = NULL;
	struct worker jobs[2];
	double t1;
	enum lf_result r;

	memset(out, 0, sizeof(*out));
	memset(jobs, 0, sizeof(jobs));
	lf_buf_init(&out->model, 16u << 20);
	lf_buf_init(&out->calibration, 1u << 20);
	lf_buf_init(&out->predictions, 256u << 20);
	if (o->folds < 2 || o->folds > 32)
		return lf_error_field(err, LF_ERR_INPUT, "folds", "--folds must be 2 to 32");
	struct lf_dataset_options dso = { o->outcome_won, o->to, o->exclude, o->half_life_days,
					  o->with_sales };
	if ((r = lf_dataset_read(s, &dso, &d.ds, err)))
		goto out;
	t1 = lf_clock_seconds();
	out->read_seconds = d.ds.read_seconds;
	for (size_t i = 0; i < d.ds.n; i++)
		out->positives += d.ds.rows[i].y;
	out->leads = (int64_t)d.ds.n;
	if (out->positives < o->folds || (int64_t)d.ds.n - out->positives < o->folds) {
		const char *what = o->outcome_won ? "won" : "reaching sql";
		char why[160] = "";
		if (d.ds.sales_closed)
			snprintf(why, sizeof(why), " (%zu closed leads of sales' own are left out)",
				 d.ds.sales_closed);
		else if (d.ds.n && (out->positives == (int64_t)d.ds.n || !out->positives))
			snprintf(why, sizeof(why), ": %s %s, nothing to tell apart%s",
				 out->positives ? "every one" : "none",
				 o->outcome_won ? "was won" : "reached sql",
				 o->outcome_won ? "" : " (try --outcome won)");
		r = lf_error_set(err, LF_ERR_INPUT, "%lld closed leads with %lld %s: too few to learn"
				 " from%s", (long long)d.ds.n, (long long)out->positives, what, why);
		goto out;
	}
	if ((r = features(&d)) || !(oof = malloc(d.ds.n * sizeof(*oof)))) {
		r = LF_ERR_NOMEM;
		goto out;
	}
	for (size_t j = 0; j < d.nf; j++)
		out->events += d.f[j].kind == F_EVENT && d.f[j].knot == 1;
	out->features = d.nf;
	out->levels = d.p_main;
	stratify(&d);
	if ((r = patterns(&d))) {
		lf_error_set(err, r, "out of memory");
		goto out;
	}
	out->patterns = d.npat;
	out->folds = o->folds;
	/* each fold held out in turn (its AUC, its predictions for calibration),
	 * and the final fit on every lead: shared out between two threads */
	size_t start[33] = { 0 };
	for (size_t i = 0; i < d.ds.n; i++)
		start[d.ds.rows[i].fold + 1]++;
	for (int k = 0; k < o->folds; k++)
		start[k + 1] += start[k];
	for (int k = 0; k < 2; k++)
		jobs[k] = (struct worker){ &d, oof, start, out, k, LF_OK, k == 1, { 0 }, NULL };
	pthread_t other;
	bool threaded = !pthread_create(&other, NULL, work, &jobs[1]);
	if (!threaded)
		work(&jobs[1]);
	work(&jobs[0]);
	if (threaded)
		pthread_join(other, NULL);
	if ((r = jobs[0].r) || (r = jobs[1].r)) {
		if (r != LF_ERR_NOMEM)
			r = lf_error_set(err, r, "the fit did not converge");
		goto out;
	}
	calibration(oof, d.ds.n, &out->calibration);
	double sum = 0, sq = 0;
	for (int k = 0; k < o->folds; k++)
		sum += out->auc_folds[k];
	out->auc_mean = sum / o->folds;
	for (int k = 0; k < o->folds; k++)
		sq += (out->auc_folds[k] - out->auc_mean) * (out->auc_folds[k] - out->auc_mean);
	out->auc_sd = sqrt(sq / (o->folds - 1));
	out->seconds = lf_clock_seconds() - t1 + d.ds.take_seconds;
	out->pairs = jobs[1].x.npairs;
	/* the ceiling, where the demo world kept its truth */
	out->truth_auc = NAN;
	size_t m = 0;
	for (size_t i = 0; i < d.ds.n; i++) {
		double p_sql, p_won;
		if (lf_store_truth_get(s, d.ds.rows[i].id, &p_sql, &p_won, NULL) == LF_OK)
			oof[m++] = (struct lf_scored){ o->outcome_won ? p_won : p_sql, d.ds.rows[i].y };
	}
	if (m == d.ds.n)
		out->truth_auc = lf_auc(oof, m);
	struct lf_model_def active;
	int active_version = 0;
	struct lf_error ignored;
	bool have_active = lf_model_active(s, &active, &active_version, &ignored) == LF_OK;
	write_model(&d, &jobs[1].x, jobs[1].w, out, (double)out->positives / (double)out->leads,
		    have_active ? &active : NULL, &out->model);
	if (have_active)
		lf_model_def_release(&active);
	lf_buf_adds(&out->predictions, "lead_id,logit,decided_at\n");
	for (size_t i = 0; i < d.ds.n; i++) {
		char at[LF_TIME_STR_MAX] = "";
		if (d.ds.rows[i].decided_at)
			lf_time_format(d.ds.rows[i].decided_at, at);
		lf_buf_addf(&out->predictions, "%lld,%.12g,%s\n", (long long)d.ds.rows[i].id,
			    logit_of(&jobs[1].x, d.pat[i], jobs[1].w), at);
	}
out:
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	data_release(&d);
	for (int k = 0; k < 2; k++) {
		pairs_release(&jobs[k].x);
		free(jobs[k].w);
	}
	free(oof);
	if (r)
		lf_train_result_release(out);
	return r;
}

void lf_train_result_release(struct lf_train_result *r)
{
	if (!r)
		return;
	lf_buf_release(&r->model);
	lf_buf_release(&r->calibration);
	lf_buf_release(&r->predictions);
}
