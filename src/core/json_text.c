/*
 * json_text.c - JSON text with shortest real numbers (leadflow/json.h). Walks
 * the value; strings, integers and the literals are left to jansson, which
 * escapes strings correctly; containers and reals are written here.
 */
#include <leadflow/json.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

void lf_double_text(double d, char buf[32])
{
	/* whole numbers as such (10, not 1e+01), up to where doubles stop being exact */
	if (d == (double)(long long)d && d > -1e15 && d < 1e15) {
		snprintf(buf, 32, "%lld", (long long)d);
		return;
	}
	/* the shortest that reads back: for a normal double any shorter one is
	 * what %.15g prints once it drops its trailing zeros, so the search
	 * starts there (a subnormal holds fewer digits: it starts at one) */
	for (int p = isnormal(d) ? 15 : 1; p <= 17; p++) {
		snprintf(buf, 32, "%.*g", p, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

static void newline(FILE *out, int indent, int depth)
{
	if (!indent)
		return;
	fputc('\n', out);
	for (int i = 0; i < indent * depth; i++)
		fputc(' ', out);
}

static void write_value(const json_t *j, int indent, int depth, FILE *out)
{
	char num[40];
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *v;
		size_t n = 0;
		fputc('{', out);
		json_object_foreach((json_t *)j, key, v) {
			json_t *k = json_string(key);
			char *kt = k ? json_dumps(k, JSON_ENCODE_ANY) : NULL;
			if (n++)
				fputc(',', out);
			newline(out, indent, depth + 1);
			fputs(kt ? kt : "\"\"", out);
			fputs(indent ? ": " : ":", out);
			write_value(v, indent, depth + 1, out);
			free(kt);
			json_decref(k);
		}
		if (n)
			newline(out, indent, depth);
		fputc('}', out);
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *v;
		fputc('[', out);
		json_array_foreach((json_t *)j, i, v) {
			if (i)
				fputc(',', out);
			newline(out, indent, depth + 1);
			write_value(v, indent, depth + 1, out);
		}
		if (json_array_size(j))
			newline(out, indent, depth);
		fputc(']', out);
		break;
	}
	case JSON_REAL:
		lf_double_text(json_real_value(j), num);
		/* still a real when read back: 1.0, not 1 */
		if (!strpbrk(num, ".eEn"))
			strcat(num, ".0");
		fputs(num, out);
		break;
	default: {
		char *t = json_dumps(j, JSON_ENCODE_ANY);
		fputs(t ? t : "null", out);
		free(t);
	}
	}
}

int lf_json_write(const json_t *j, int indent, FILE *out)
{
	write_value(j, indent, 0, out);
	return ferror(out) ? -1 : 0;
}

char *lf_json_text(const json_t *j, int indent)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	write_value(j, indent, 0, f);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}
