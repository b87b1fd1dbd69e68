/*
 * time.c - ISO 8601 parsing and formatting over int64 milliseconds in UTC.
 * The civil-date arithmetic is the well-known era-based algorithm, exact for
 * every date in the proleptic Gregorian calendar, with no libc time zone state.
 */
#include <leadflow/time.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t lf_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void lf_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, unsigned m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 ? 28 + leap : days[m - 1];
}

/* Reads exactly n digits at *p into *v. */
static int digits(const char **p, int n, int *v)
{
	int x = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return 0;
		x = x * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*v = x;
	return 1;
}

enum lf_result lf_time_parse(const char *s, lf_time_ms *out, struct lf_error *err)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, off = 0;

	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) ||
	    *p++ != '-' || !digits(&p, 2, &d))
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, (unsigned)mo))
		goto bad;
	if (y < LF_YEAR_MIN || y > LF_YEAR_MAX)
		return lf_error_set(err, LF_ERR_INPUT, "bad date '%s': the year must be from %d "
				    "to %d", s, LF_YEAR_MIN, LF_YEAR_MAX);
	if (*p == 'T' || *p == 't' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			goto bad;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &sec))
				goto bad;
			if (*p == '.' || *p == ',') {
				int scale = 100;
				p++;
				if (!isdigit((unsigned char)*p))
					goto bad;
				for (; isdigit((unsigned char)*p); p++, scale /= 10)
					ms += (*p - '0') * scale;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			goto bad;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om;
			if (!digits(&p, 2, &oh))
				goto bad;
			if (*p == ':')
				p++;
			if (!digits(&p, 2, &om) || oh > 23 || om > 59)
				goto bad;
			off = sign * (oh * 60 + om);
		}
	}
	if (*p)
		goto bad;
	*out = lf_days_from_civil(y, (unsigned)mo, (unsigned)d) * LF_MS_PER_DAY +
	       ((int64_t)h * 3600 + mi * 60 + sec - (int64_t)off * 60) * 1000 + ms;
	return LF_OK;
bad:
	return lf_error_set(err, LF_ERR_INPUT,
			    "bad date '%s': expected ISO 8601 like 2026-03-01 or "
			    "2026-03-01T09:30:00Z", s);
}

void lf_time_format(lf_time_ms t, char out[LF_TIME_STR_MAX])
{
	int64_t days = t / LF_MS_PER_DAY, rem = t % LF_MS_PER_DAY, y;
	unsigned m, d;
	int ms;

	if (rem < 0) {
		rem += LF_MS_PER_DAY;
		days--;
	}
	lf_civil_from_days(days, &y, &m, &d);
	ms = (int)(rem % 1000);
	rem /= 1000;
	if (ms)
		snprintf(out, LF_TIME_STR_MAX, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
			 (long long)y, m, d, (int)(rem / 3600), (int)(rem / 60 % 60),
			 (int)(rem % 60), ms);
	else
		snprintf(out, LF_TIME_STR_MAX, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
			 (long long)y, m, d, (int)(rem / 3600), (int)(rem / 60 % 60),
			 (int)(rem % 60));
}

double lf_clock_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct timespec lf_deadline_in(int64_t ms)
{
	struct timespec at;
	clock_gettime(CLOCK_REALTIME, &at);
	at.tv_sec += (time_t)(ms / 1000);
	at.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (at.tv_nsec >= 1000000000L) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000L;
	}
	return at;
}

lf_time_ms lf_time_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (lf_time_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

lf_time_ms lf_week_start(lf_time_ms t)
{
	int64_t day = t >= 0 ? t / LF_MS_PER_DAY : (t - LF_MS_PER_DAY + 1) / LF_MS_PER_DAY;
	int64_t weekday = ((day % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday: 3 */
	return (day - weekday) * LF_MS_PER_DAY;
}
