/*
 * json_text.h - JSON values (jansson's) written as text the way leadflow
 * prints them everywhere, CLI and API alike: a real number as the shortest
 * text that reads back to the same double (0.236, not 0.23599999999999999),
 * everything else as jansson writes it. Object members keep their order.
 */
#ifndef LF_CORE_JSON_TEXT_H
#define LF_CORE_JSON_TEXT_H

#include <jansson.h>
#include <stdio.h>

/* The shortest "%.*g" text of d that strtod reads back to d (at most 17 digits). */
void lf_double_text(double d, char buf[32]);

/* j as text, indent spaces a level (0: compact). The caller frees it; NULL on no memory. */
char *lf_json_text(const json_t *j, int indent);
/* Writes j to out; 0, or -1 when out fails. */
int lf_json_write(const json_t *j, int indent, FILE *out);

#endif
