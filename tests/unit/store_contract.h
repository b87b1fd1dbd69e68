/*
 * store_contract.h - the contract every lf_store backend must keep, as a
 * cmocka suite that takes a factory. A backend's test file supplies the
 * factory (a fresh, migrated, empty store) and calls store_contract_run.
 */
#ifndef LF_TEST_STORE_CONTRACT_H
#define LF_TEST_STORE_CONTRACT_H

#include <leadflow/store.h>

#include <stddef.h>
#include <stdint.h>

typedef struct lf_store *(*store_factory)(void);

/* Runs every contract case against stores made by factory; returns failures. */
int store_contract_run(const char *backend, store_factory factory);

/* Between the suite's own files (store_contract*.c), not for backends. */
struct CMUnitTest;
struct lf_lead;
void contract_use(store_factory f);   /* the factory the cases' setup calls */
int contract_setup(void **state);     /* a fresh store from the factory */
int contract_teardown(void **state);
/* A lead (source webinar, created 2023-11-14, attributes) with ext and email. */
void contract_make_lead(struct lf_lead *l, const char *ext, const char *email);
/* The same, inserted; its id. */
int64_t contract_lead(struct lf_store *s, const char *ext, const char *email);
/* The cases of store_contract_sales.c: *out gets them, the count is returned. */
size_t contract_sales_tests(const struct CMUnitTest **out);

#endif
