/*
 * stats.c - numbers and their median (stats.h).
 */
#include "core/stats.h"
#include "core/grow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum lf_result lf_doubles_push(struct lf_doubles *d, double x)
{
	if (LF_GROW(d->v, d->n, d->cap, 16))
		return LF_ERR_NOMEM;
	d->v[d->n++] = x;
	return LF_OK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void lf_sort_doubles(double *v, size_t n)
{
	qsort(v, n, sizeof(double), cmp_double);
}

double lf_doubles_median(struct lf_doubles *d)
{
	if (!d->n)
		return NAN;
	lf_sort_doubles(d->v, d->n);
	return d->n % 2 ? d->v[d->n / 2] : (d->v[d->n / 2 - 1] + d->v[d->n / 2]) / 2;
}

/* Kept sorted by value, one entry a value: a histogram of few values gets many adds. */
enum lf_result lf_counts_add(struct lf_counts *c, double v, int64_t n)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->v[mid].v < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->n && c->v[lo].v == v) {
		c->v[lo].n += n;
		return LF_OK;
	}
	if (LF_GROW(c->v, c->n, c->cap, 16))
		return LF_ERR_NOMEM;
	memmove(&c->v[lo + 1], &c->v[lo], (c->n - lo) * sizeof(*c->v));
	c->v[lo] = (struct lf_counted){ v, n };
	c->n++;
	return LF_OK;
}

double lf_counts_at(const struct lf_counts *c, int64_t k)
{
	for (size_t i = 0; i < c->n; i++) {
		if (k < c->v[i].n)
			return c->v[i].v;
		k -= c->v[i].n;
	}
	return NAN;
}

int64_t lf_counts_total(const struct lf_counts *c)
{
	int64_t total = 0;
	for (size_t i = 0; i < c->n; i++)
		total += c->v[i].n;
	return total;
}

double lf_counts_median(const struct lf_counts *c)
{
	int64_t total = lf_counts_total(c);
	if (total <= 0)
		return NAN;
	if (total % 2)
		return lf_counts_at(c, total / 2);
	return (lf_counts_at(c, total / 2 - 1) + lf_counts_at(c, total / 2)) / 2;
}

void lf_counts_release(struct lf_counts *c)
{
	if (!c)
		return;
	free(c->v);
	memset(c, 0, sizeof(*c));
}

void lf_doubles_release(struct lf_doubles *d)
{
	if (!d)
		return;
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static int by_score(const void *a, const void *b)
{
	const struct lf_scored *x = a, *y = b;
	return (x->s > y->s) - (x->s < y->s);
}

void lf_scored_sort(struct lf_scored *v, size_t n)
{
	qsort(v, n, sizeof(*v), by_score);
}

double lf_auc(struct lf_scored *v, size_t n)
{
	double pos = 0, neg = 0, rank_sum = 0;
	lf_scored_sort(v, n);
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
	return pos && neg ? (rank_sum - pos * (pos + 1) / 2) / (pos * neg) : NAN;
}
