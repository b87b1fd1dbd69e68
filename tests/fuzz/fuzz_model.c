/*
 * fuzz_model.c - libFuzzer target for the model loader: any bytes are read
 * as a model file. A refusal must come with a file:line:column message.
 */
#include <leadflow/model.h>

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text = malloc(size + 1);
	struct lf_model_def m;
	struct lf_buf problems = LF_BUF_INIT(1 << 20);
	struct lf_error err;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (lf_model_parse("fuzz.yaml", text, &m, &problems, &err) == LF_OK)
		lf_model_def_release(&m);
	else if (strncmp(err.msg, "fuzz.yaml", 9) && err.code != LF_ERR_NOMEM &&
		 err.code != LF_ERR_LIMIT)
		abort(); /* every refusal names the file */
	lf_buf_release(&problems);
	free(text);
	return 0;
}
