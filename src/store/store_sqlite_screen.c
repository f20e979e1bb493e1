/*
 * store_sqlite_screen.c — SQLite storage of the screen area (see store_impl.h).
 */
#include "store/store_impl.h"

const char *const fg_sqlite_ddl_screen = "";
