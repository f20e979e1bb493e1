/*
 * schema.h — the data standard v1.3 as data: the 19 tables, their columns,
 * types, required flags, enumerations, keys and references.
 *
 * This is the single source of truth the importer validates against, the
 * store derives its tables from, the generator writes and the screening
 * loader reads. Nothing else in the code base spells a column list.
 *
 * Storage mapping (the store keeps one SQL table per standard table, same
 * table and column names):  money -> INTEGER fen; quantity -> INTEGER
 * thousandths; whole numbers and years -> INTEGER; everything else TEXT
 * exactly as normalised by import (dates stay YYYY-MM-DD, so a user can
 * query them directly).
 */
#ifndef FG_SCHEMA_SCHEMA_H
#define FG_SCHEMA_SCHEMA_H

#include <stdbool.h>

typedef enum fg_coltype {
  FG_COL_TEXT,      /* free text */
  FG_COL_ID,        /* an identifier kept as text (leading zeros kept) */
  FG_COL_PERSON_ID, /* 1-18 ASCII letters/digits, trailing x upper-cased */
  FG_COL_USCC,      /* GB 32100 unified social credit code, check char verified */
  FG_COL_REGION,    /* 6 digits, province-level prefix */
  FG_COL_DATE,      /* YYYY-MM-DD, 1900-01-01..2099-12-31 */
  FG_COL_MONTH,     /* YYYY-MM */
  FG_COL_TIMESTAMP, /* YYYY-MM-DDTHH:MM:SS */
  FG_COL_YEAR,      /* 4 digits */
  FG_COL_MONEY,     /* [0-9]{1,13}(.[0-9]{1,2})? stored as fen */
  FG_COL_QTY,       /* [0-9]+(.[0-9]{1,3})? stored as thousandths */
  FG_COL_UINT,      /* digits */
  FG_COL_ENUM,      /* one of enum_values */
  FG_COL_AGENCY_ID, /* (v1.3) 1-20 ASCII letters/digits */
} fg_coltype;

typedef enum fg_table_id {
  FG_T_PERSONS,
  FG_T_EMPLOYERS,
  FG_T_ENROLLMENTS,
  FG_T_CONTRIBUTIONS,
  FG_T_BENEFIT_PAYMENTS,
  FG_T_RETIREMENTS,
  FG_T_INSTITUTIONS,
  FG_T_CATALOG,
  FG_T_MEDICAL_SETTLEMENTS,
  FG_T_MEDICAL_ITEMS,
  FG_T_DEATHS,
  FG_T_INCARCERATIONS,
  FG_T_SURVIVAL_CERTIFICATIONS,
  FG_T_FUND_ACCOUNTS,
  FG_T_FUND_TRANSACTIONS,
  FG_T_STAFF,
  FG_T_OPERATIONS,
  FG_T_WAGE_BASES,
  FG_T_AGENCIES, /* v1.3: the agencies cases are issued to (cases.md) */
  FG_T_COUNT
} fg_table_id;

#define FG_MAX_COLS 16
/* (v1.3) A table without a key (enrollments, contributions, ...) keeps,
 * per stored row, a 128-bit BLAKE2b digest of its values in the
 * bookkeeping column _digest (a 16-byte BLOB): the import finds a resent
 * row (equal in every column to one an earlier batch stored) by it. Stored
 * value arrays of such a table carry the digest at index ncols (s, n = 16),
 * so ncols < FG_MAX_COLS. */
#define FG_DIGEST_COLUMN "_digest"
#define FG_DIGEST_BYTES 16
#define fg_schema_keyless(t) ((t)->nkey == 0)
#define FG_MAX_KEY_COLS 2

typedef struct fg_column {
  const char *name;
  fg_coltype type;
  bool required;
  const char *const *enum_values; /* NULL-terminated, for FG_COL_ENUM */
  int ref_table;                  /* fg_table_id referenced, or -1 */
  int ref_col;                    /* column index in ref_table (its key) */
  /* Store schema version whose migration added the column (ALTER TABLE
   * ADD COLUMN, so it sits after _batch, _line and _digest in the store),
   * 0 for a column the table had from version 1. Added columns come last
   * in cols[], and their trailing NULLs are left out of a row's digests
   * (fg_journal_row_cols), so rows stored before they existed keep theirs. */
  int store_version;
} fg_column;

typedef struct fg_table {
  fg_table_id id;
  const char *name;     /* table and store name: "persons" */
  const char *file;     /* file name: "persons.csv" */
  const char *label_zh; /* 参保人员 */
  const fg_column *cols;
  int ncols;
  int key_cols[FG_MAX_KEY_COLS]; /* column indexes of the key */
  int nkey;                      /* 0 = no key: every row is a fact */
} fg_table;

const fg_table *fg_schema_table(fg_table_id id);
/* Look up by name ("persons") or by file name ("persons.csv"); NULL if none. */
const fg_table *fg_schema_by_name(const char *name);
const fg_table *fg_schema_by_file(const char *file);
/* Column index by (case-insensitive) name, or -1. */
int fg_schema_col(const fg_table *t, const char *name);
/* Columns of t the store had from version 1 (the leading ones). */
int fg_schema_base_cols(const fg_table *t);
/* Whether a column is stored as INTEGER (else TEXT). Inline: the import
 * asks it for every value it binds and digests (65 M rows at a million
 * persons), where a call into schema.c measured 2.5 % of the inserting
 * thread. */
static inline bool fg_schema_is_int(fg_coltype type) {
  return type == FG_COL_MONEY || type == FG_COL_QTY || type == FG_COL_UINT ||
         type == FG_COL_YEAR;
}
/* SQL storage type of a column: "INTEGER" or "TEXT". */
const char *fg_schema_sql_type(fg_coltype type);
/* Chinese label of a code value where the standard gives one (scheme,
 * benefit_type, ...), else NULL. Used by views and exports. */
const char *fg_schema_code_label_zh(const char *column, const char *value);

#endif
