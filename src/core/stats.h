/*
 * stats.h - a growing list of numbers and its median, for the reports and
 * the capacity measures that summarise durations.
 */
#ifndef LF_CORE_STATS_H
#define LF_CORE_STATS_H

#include <leadflow/error.h>
#include <stddef.h>
#include <stdint.h>

struct lf_doubles {
	double *v;
	size_t n, cap;
};

enum lf_result lf_doubles_push(struct lf_doubles *d, double x);
/* Sorts v, lowest first. */
void lf_sort_doubles(double *v, size_t n);
/* The median (sorting the list), NAN when it is empty. */
double lf_doubles_median(struct lf_doubles *d);
void lf_doubles_release(struct lf_doubles *d);

/*
 * Numbers that come with a count each (a histogram read from aggregates),
 * for their median: kept sorted, a value once with its counts added up.
 */
struct lf_counted {
	double v;
	int64_t n;
};
struct lf_counts {
	struct lf_counted *v;
	size_t n, cap;
};
enum lf_result lf_counts_add(struct lf_counts *c, double v, int64_t n);
/* How many values: the counts added up. */
int64_t lf_counts_total(const struct lf_counts *c);
/* The value at 0-based position k of the sorted values, each taken n times; NAN past the end. */
double lf_counts_at(const struct lf_counts *c, int64_t k);
/* The median of the values each taken n times, NAN when none. */
double lf_counts_median(const struct lf_counts *c);
void lf_counts_release(struct lf_counts *c);

/* A score and whether the outcome came (1) or not (0). */
struct lf_scored {
	double s;
	int y;
};
/* Sorts by score, lowest first. */
void lf_scored_sort(struct lf_scored *v, size_t n);
/* The area under the ROC curve (ties count half), sorting v; NAN without both outcomes. */
double lf_auc(struct lf_scored *v, size_t n);

#endif
