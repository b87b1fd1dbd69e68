/*
 * roles.h - the roles of SPEC 2 (who a token or a person acts as), by name.
 * In core: tokens, the lifecycle's table and the router all speak of them.
 */
#ifndef LEADFLOW_ROLES_H
#define LEADFLOW_ROLES_H

#include <leadflow/error.h>

enum lf_role {
	LF_ROLE_ADMIN, LF_ROLE_MARKETING, LF_ROLE_SALES_MANAGER, LF_ROLE_REP,
	LF_ROLE_READONLY, LF_ROLE_SYSTEM, LF_ROLE_COUNT
};

#define LF_ROLE_BIT(r) (1u << (r))

/* "admin", "marketing", ...; "?" out of range. */
const char *lf_role_name(enum lf_role r);
/* LF_ERR_INPUT naming the roles when name is not one of them. */
enum lf_result lf_role_parse(const char *name, enum lf_role *out, struct lf_error *err);

#endif
