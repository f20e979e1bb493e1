/*
 * store_sqlite_config.c — SQLite storage of the config area (see store_impl.h).
 */
#include "store/store_impl.h"

const char *const fg_sqlite_ddl_config = "";
