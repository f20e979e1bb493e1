/*
 * cli.h — the fundguard command-line front end: git-style subcommands.
 *
 * Each subcommand lives in cmd_<name>.c as `int fg_cmd_<name>(int argc,
 * char **argv)` (argv[0] is the subcommand name) and returns the process exit
 * status of cli.md: 0 done, 1 refused or found a problem, 2 usage error.
 * Front ends stay thin: parse flags, call the library, print.
 */
#ifndef FG_CLI_CLI_H
#define FG_CLI_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/fg.h"
#include "common/fsout.h"

int fg_cmd_init(int argc, char **argv);
int fg_cmd_serve(int argc, char **argv);
int fg_cmd_gen(int argc, char **argv);
int fg_cmd_import(int argc, char **argv);
int fg_cmd_screen(int argc, char **argv);
int fg_cmd_findings(int argc, char **argv);
int fg_cmd_log(int argc, char **argv);
int fg_cmd_user(int argc, char **argv);
int fg_cmd_propose(int argc, char **argv);
int fg_cmd_person(int argc, char **argv);
int fg_cmd_rules(int argc, char **argv);
int fg_cmd_runs(int argc, char **argv);
int fg_cmd_batches(int argc, char **argv);
int fg_cmd_finding(int argc, char **argv);
int fg_cmd_case(int argc, char **argv);
int fg_cmd_recovery(int argc, char **argv);
int fg_cmd_report(int argc, char **argv);
int fg_cmd_inspection(int argc, char **argv);
int fg_cmd_rectify(int argc, char **argv);
int fg_cmd_tip(int argc, char **argv);
/* `propose writeoff|penalty` (cmd_case.c), argv[1] the subcommand. */
int fg_propose_case(int argc, char **argv);
/* `propose config|dismiss|amend` (cmd_propose_make.c), argv[1] the subcommand. */
int fg_propose_make(int argc, char **argv);

/* Print "fundguard: <msg>" to stderr and return the exit code for err. */
int fg_cli_fail(const fg_err *err);
/* A mistyped command or subcommand (cmd "" for the top level): a usage
 * error suggesting the nearest of choices, else listing them; returns 2. */
int fg_cli_unknown(const char *cmd, const char *got, const char *const *choices, int n);
/* Print a usage error to stderr and return 2. */
int fg_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True when argv[1..argc-1] holds --help or -h (`fundguard user list
 * --help`): every command and subcommand answers it on stdout, exit 0. */
bool fg_cli_wants_help(int argc, char **argv);
/* Protect the store db's files and its platform key (--key FILE, else
 * FUNDGUARD_KEY, else PATH.key) from being chosen as an output file. */
void fg_cli_protect(fg_fsout_protect *p, const char *db, const char *key_flag);
/* Display width of UTF-8 text in terminal columns (a Chinese character
 * is two: wcwidth in the C.UTF-8 locale main sets). */
int fg_cli_width(const char *s);
/* Print s padded with spaces to width display columns (right-aligned when
 * right) on stdout. */
void fg_cli_cell(const char *s, int width, bool right);
/* A progress bar on stderr (terminals only) for the step named label:
 * monotonic and clamped to 100%; a new label ends the previous bar. */
void fg_cli_progress(const char *label, uint64_t done, uint64_t total);
void fg_cli_progress_end(void);
/* True when stderr is a terminal (progress bars only then). */
bool fg_cli_stderr_tty(void);

#endif
