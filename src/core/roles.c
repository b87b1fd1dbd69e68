/*
 * roles.c - role names (roles.h).
 */
#include <leadflow/roles.h>

#include <string.h>

static const char *const role_names[LF_ROLE_COUNT] = {
	"admin", "marketing", "sales_manager", "rep", "readonly", "system",
};

const char *lf_role_name(enum lf_role r)
{
	return (unsigned)r < LF_ROLE_COUNT ? role_names[r] : "?";
}

enum lf_result lf_role_parse(const char *name, enum lf_role *out, struct lf_error *err)
{
	for (int i = 0; i < LF_ROLE_COUNT; i++)
		if (!strcmp(name, role_names[i])) {
			*out = (enum lf_role)i;
			return LF_OK;
		}
	return lf_error_set(err, LF_ERR_INPUT, "unknown role '%s': expected admin, "
			    "marketing, sales_manager, rep, readonly or system", name);
}
