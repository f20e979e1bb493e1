/*
 * store_sqlite_journal.c — SQLite storage of the journal area (see store_impl.h).
 */
#include "store/store_impl.h"

const char *const fg_sqlite_ddl_journal = "";
