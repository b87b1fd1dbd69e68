/*
 * error.c - result codes, their descriptions and the error detail struct.
 * Messages are formatted once, into a fixed buffer, so that reporting an
 * error never allocates and never fails.
 */
#include <leadflow/error.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const lf_result_names[] = {
	[LF_OK] = "ok",
	[LF_ERR_INPUT] = "bad input",
	[LF_ERR_USAGE] = "bad usage",
	[LF_ERR_NOT_FOUND] = "not found",
	[LF_ERR_CONFLICT] = "conflict",
	[LF_ERR_LIMIT] = "limit exceeded",
	[LF_ERR_IO] = "i/o error",
	[LF_ERR_STORE] = "database error",
	[LF_ERR_NOMEM] = "out of memory",
	[LF_ERR_INTERNAL] = "internal error",
	[LF_ERR_AUTH] = "unauthorised",
	[LF_ERR_DENIED] = "forbidden",
	[LF_ERR_BUSY] = "busy",
};

const char *lf_strerror(enum lf_result code)
{
	if ((size_t)code >= sizeof(lf_result_names) / sizeof(lf_result_names[0]))
		return "unknown error";
	return lf_result_names[code];
}

static enum lf_result error_vset(struct lf_error *err, enum lf_result code,
				 const char *field, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return code;
}

enum lf_result lf_error_set(struct lf_error *err, enum lf_result code,
			    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(err, code, NULL, fmt, ap);
	va_end(ap);
	return code;
}

enum lf_result lf_error_field(struct lf_error *err, enum lf_result code,
			      const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(err, code, field, fmt, ap);
	va_end(ap);
	return code;
}

void lf_error_prefix(struct lf_error *err, const char *fmt, ...)
{
	char prefix[LF_ERROR_MSG_MAX];
	size_t plen, mlen;
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix) - 2, fmt, ap);
	va_end(ap);
	strcat(prefix, ": ");
	plen = strlen(prefix);
	mlen = strlen(err->msg);
	if (plen + mlen >= sizeof(err->msg))
		mlen = sizeof(err->msg) - 1 - plen;
	memmove(err->msg + plen, err->msg, mlen);
	memcpy(err->msg, prefix, plen);
	err->msg[plen + mlen] = '\0';
}

void lf_error_clear(struct lf_error *err)
{
	if (!err)
		return;
	err->code = LF_OK;
	err->field[0] = '\0';
	err->msg[0] = '\0';
}

int lf_exit_code(enum lf_result code)
{
	switch (code) {
	case LF_OK:
		return 0;
	case LF_ERR_INPUT:
	case LF_ERR_USAGE:
	case LF_ERR_LIMIT:
	case LF_ERR_CONFLICT:
	case LF_ERR_NOT_FOUND:
		return 2;
	default:
		return 1;
	}
}

const char *lf_errno_str(int errnum)
{
	static _Thread_local char buf[128];

	switch (errnum) {
	case ENOENT: return "no such file";
	case EACCES: return "permission denied";
	case EISDIR: return "is a directory";
	case ENOSPC: return "no space left on the device";
	default:
		snprintf(buf, sizeof(buf), "%s", strerror(errnum));
		if (buf[0] >= 'A' && buf[0] <= 'Z')
			buf[0] = (char)(buf[0] - 'A' + 'a');
		return buf;
	}
}
