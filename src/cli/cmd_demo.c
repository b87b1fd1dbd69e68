#include "cli/cli.h"
static enum lf_result run_demo(struct cli *cli, const struct cli_args *a,
			       struct lf_error *err)
{ (void)cli; (void)a; (void)err; return LF_OK; }
const struct cli_cmd cmd_demo = { .name = "demo", .summary = "x", .run = run_demo };
