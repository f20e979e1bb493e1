/*
 * store_sqlite_authz.c — SQLite storage of the authz area (see store_impl.h).
 */
#include "store/store_impl.h"

const char *const fg_sqlite_ddl_authz = "";
