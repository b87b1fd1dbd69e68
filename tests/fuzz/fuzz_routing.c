/*
 * fuzz_routing.c - libFuzzer target for the routing file: any bytes are
 * read as a routing file, and a lead routed through what was accepted. A
 * refusal must come with a file:line:column message.
 */
#include "gate/routing.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text = malloc(size + 1);
	struct lf_routing r;
	struct lf_buf problems = LF_BUF_INIT(1 << 20);
	struct lf_error err;
	struct lf_lead lead;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (lf_routing_parse("fuzz.yaml", text, &r, &problems, &err) == LF_OK) {
		lf_lead_init(&lead);
		lead.employees = 250;
		lf_routing_pool(&r, &lead, 1);
		lf_lead_release(&lead);
		lf_routing_release(&r);
	} else if (strncmp(err.msg, "fuzz.yaml", 9) && err.code != LF_ERR_NOMEM &&
		   err.code != LF_ERR_LIMIT) {
		abort(); /* every refusal names the file */
	}
	lf_buf_release(&problems);
	free(text);
	return 0;
}
