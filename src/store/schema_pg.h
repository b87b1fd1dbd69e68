/*
 * schema_pg.h - the PostgreSQL schema's steps and the aggregates' SQL in
 * PostgreSQL's spelling (schema_pg.c), for the store's operations.
 */
#ifndef LF_STORE_SCHEMA_PG_H
#define LF_STORE_SCHEMA_PG_H

struct lf_pg_schema {
	int base;                   /* the version its first step reaches */
	const char *const *steps;   /* step i reaches version base + i */
	int count;
	const char *agg_drop, *agg_rebuild, *score_drop, *score_resume;
	const char *held_fill;      /* `held` made again from every lead */
};

extern const struct lf_pg_schema lf_pg_schema;

#endif
