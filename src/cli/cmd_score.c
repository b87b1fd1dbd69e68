/*
 * cmd_score.c - `leadflow score [--at TIME]`: rescores every lead with the
 * active model as of a time (now by default), for history and tests.
 */
#include "cli.h"
#include <leadflow/score.h>

enum { O_AT };

static const struct cli_opt score_opts[] = {
	[O_AT] = { "at", "TIME", "score as of this time (ISO 8601; default now)" },
	{ NULL, NULL, NULL },
};

static enum lf_result run_score(struct cli *cli, const struct cli_args *a,
				struct lf_error *err)
{
	struct lf_rescore_stats st;
	struct lf_model_def def;
	struct lf_store *s;
	lf_time_ms at = lf_time_now();
	enum lf_result r;
	int version;

	if (a->opt[O_AT] && (r = cli_time("at", a->opt[O_AT], &at, err)))
		return r;
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	if (!(r = lf_model_active(s, &def, &version, err))) {
		r = lf_rescore_all(s, &def, version, at, &st, err);
		if (!r)
			cli_say(cli, json_pack("{s:i, s:I, s:I, s:I}", "model_version", version,
					       "leads", (json_int_t)st.leads, "disqualified",
					       (json_int_t)st.disqualified, "hand_raisers",
					       (json_int_t)st.hand_raisers),
				"%lld leads scored with model %d (%lld disqualified by its rules, "
				"%lld hand-raisers)", (long long)st.leads, version,
				(long long)st.disqualified, (long long)st.hand_raisers);
		lf_model_def_release(&def);
	}
	lf_store_close(s);
	return r;
}

const struct cli_cmd cmd_score = {
	.name = "score",
	.summary = "rescore every lead with the active model, as of a time",
	.opts = score_opts,
	.run = run_score,
};
