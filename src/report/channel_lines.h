/*
 * channel_lines.h - what each channel (the leads' source) and campaign
 * brought and cost in a period, gathered once for the channels report and
 * the budget what-if: the period's leads at each waterfall step they
 * reached (first touch: the source and campaign a lead came with), the
 * pipeline and revenue of their opportunities, the spend of its days.
 */
#ifndef LF_REPORT_CHANNEL_LINES_H
#define LF_REPORT_CHANNEL_LINES_H

#include <leadflow/report.h>
#include "core/strmap.h"
#include "lifecycle/lifecycle.h"

struct channel_line {
	char *channel, *campaign;   /* campaign NULL: the channel's total; "" none */
	int64_t reach[LF_WATERFALL_STEPS];   /* by lf_waterfall's steps */
	double pipeline, revenue, spend;
};

struct channel_lines {
	struct channel_line *v;     /* each campaign's line and each channel's total */
	size_t n, cap;
	struct lf_strmap at;        /* "channel\x1fcampaign" -> index */
	struct channel_line marketing, sales, all;
	const struct lf_report_filter *f;
};

/*
 * Gathers f's period into g (spend only of f's source and campaign, and
 * none with a team filter: spend has no team). Release g whatever it says.
 */
enum lf_result channel_lines_gather(struct lf_store *s, const struct lf_report_filter *f,
				    struct channel_lines *g, struct lf_error *err);
void channel_lines_release(struct channel_lines *g);

#endif
