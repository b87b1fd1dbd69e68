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
