/*
 * time.h - timestamps as signed milliseconds since 1970-01-01T00:00:00Z (UTC).
 *
 * leadflow stores every time as an int64 of milliseconds in UTC, so that the
 * decay of engagement and the order of events do not depend on time zones.
 */
#ifndef LEADFLOW_TIME_H
#define LEADFLOW_TIME_H

#include <leadflow/error.h>
#include <stdint.h>
#include <time.h>

typedef int64_t lf_time_ms;

#define LF_MS_PER_DAY INT64_C(86400000)
#define LF_TIME_STR_MAX 32

/*
 * Parses ISO 8601: "2026-03-01", "2026-03-01T09:30", "2026-03-01 09:30:15",
 * with optional fraction ".123" and zone "Z", "+02:00" or "-0500". A time
 * without a zone is UTC. Fails with LF_ERR_INPUT (message says what was
 * expected) on anything else, including impossible dates like 2026-02-30,
 * and years outside LF_YEAR_MIN..LF_YEAR_MAX (0000 and 9999 are placeholders
 * of exports, not dates).
 */
#define LF_YEAR_MIN 1800
#define LF_YEAR_MAX 2199
enum lf_result lf_time_parse(const char *s, lf_time_ms *out, struct lf_error *err);

/* Writes "2026-03-01T09:30:15Z" (".123" before the Z when ms != 0) to out. */
void lf_time_format(lf_time_ms t, char out[LF_TIME_STR_MAX]);

/* The current wall-clock time. */
lf_time_ms lf_time_now(void);
/* Seconds on a clock that only goes forward, for measuring durations. */
double lf_clock_seconds(void);
/* The time ms milliseconds from now, as pthread_cond_timedwait takes it. */
struct timespec lf_deadline_in(int64_t ms);

/* Days since the epoch of a civil date, and back (proleptic Gregorian). */
int64_t lf_days_from_civil(int64_t y, unsigned m, unsigned d);
void lf_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* Monday 00:00 UTC of the week of t (weeks are ISO weeks, in UTC). */
lf_time_ms lf_week_start(lf_time_ms t);

#endif
