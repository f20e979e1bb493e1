/*
 * config_impl.h — private to src/config/: helpers shared by config.c
 * (defaults, lookups, canonical text, hash) and config_parse.c (the file
 * format of docs/configuration.md). Nothing outside src/config/ includes it.
 */
#ifndef FG_CONFIG_CONFIG_IMPL_H
#define FG_CONFIG_CONFIG_IMPL_H

#include "config/config.h"

/* Birth months a "whole range" age row covers: every date the data standard
 * admits (1900-01-01 .. 2099-12-31). */
#define FG_CFG_BORN_MIN_YEAR 1900
#define FG_CFG_BORN_YEAR_MAX 2099
/* Sex codes of GB/T 2261.1, as the data standard uses them. */
#define FG_CFG_SEX_MALE 1
#define FG_CFG_SEX_FEMALE 2
/* Calendar coverage meaning "no year covered". */
#define FG_CFG_NO_YEAR_MIN 0
#define FG_CFG_NO_YEAR_MAX (-1)

/* The bundled data/cn-workday-calendar.csv, compiled in by the build
 * (CMakeLists.txt writes it into the build directory). */
extern const char fg_bundled_calendar_csv[];

fg_month fg_cfg_born_all_from(void);
fg_month fg_cfg_born_all_to(void);

/* Set the calendar entry for day (replacing an existing one); keeps
 * cfg->cal sorted. Returns false when the table is full. */
bool fg_cfg_cal_set(fg_config *cfg, fg_day day, bool work);
/* Remove every calendar entry (padding of the freed slots zeroed). */
void fg_cfg_cal_release(fg_config *cfg);

/* Set the age row for (sex, category, born_from..born_to): a row with the
 * same key is replaced in place, else one is appended. Returns the row's
 * index, or -1 when the table is full. */
int32_t fg_cfg_age_set(fg_config *cfg, int who, int category, fg_month from, fg_month to,
                       int32_t age_months);

/* Names used by the file format and the canonical text. */
extern const char *const fg_cfg_category_names[FG_AGE_CATEGORIES];

#endif
