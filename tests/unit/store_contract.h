/*
 * store_contract.h - the contract every lf_store backend must keep, as a
 * cmocka suite that takes a factory. A backend's test file supplies the
 * factory (a fresh, migrated, empty store) and calls store_contract_run.
 */
#ifndef LF_TEST_STORE_CONTRACT_H
#define LF_TEST_STORE_CONTRACT_H

#include <leadflow/store.h>

typedef struct lf_store *(*store_factory)(void);

/* Runs every contract case against stores made by factory; returns failures. */
int store_contract_run(const char *backend, store_factory factory);

#endif
