/*
 * test_rules_control.c — the control.* rules (rules_control.c) on small
 * models built from CSV literals (support_model.h): each rule fires, and the
 * boundaries of rules.md (50000 yuan exactly, 19:00:00 / 19:00:01 /
 * 07:59:59, make-up working Saturday, weekday holiday, tenure equal to the
 * limit and 29 February, role spelling, approver not a self-dealer) do not.
 */
#include "testutil.h"

#include <string.h>

#include "support_model.h"

#define AS_OF "2025-06-30"
#define OPS_HDR "op_id,op_type,operator_id,reviewer_id,approver_id,subject_person_id,reference,amount,at\n"

static const char *const staff =
    "staff_id,name,person_id,post,post_since,high_risk,roles\n"
    "S1,a,P1,fund,2020-06-29,Y, Handler ; REVIEWER\n"
    "S2,b,P2,fund,2020-06-30,Y,handler;cashier\n"
    "S3,c,,audit,2000-01-01,N,Accountant;CASHIER \n"
    "S4,d,,audit,2019-02-27,Y,\n"
    "S5,e,,audit,2019-02-28,Y,handlerreviewer\n";

static const char *const ops =
    OPS_HDR
    "OP1,payment,S1,,,,,50000.00,2024-10-08T20:00:00\n"   /* exactly 50000: not high-risk */
    "OP2,payment,S1,,,,,50000.01,2024-10-08T10:00:00\n"   /* high-risk, no reviewer */
    "OP3,back_payment,S1,S2,,,,,2024-10-08T19:00:00\n"
    "OP4,back_payment,S1,S2,,,,,2024-10-08T19:00:01\n"
    "OP5,back_payment,S1,S2,,,,,2024-10-08T07:59:59\n"
    "OP6,back_payment,S1,S2,,,,,2024-10-12T10:00:00\n"    /* make-up working Saturday */
    "OP7,back_payment,S1,S2,,,,,2024-10-01T10:00:00\n"    /* National Day, a Tuesday */
    "OP8,back_payment,S1,S2,,,,,2024-10-08T08:00:00\n"
    "OP9,enroll,S1,S1,,,,,2024-10-08T10:00:00\n"
    "OP10,enroll,S1,S2,S1,,,,2024-10-08T10:00:00\n"
    "OP11,enroll,S1,S2,S3,,,,2024-10-08T10:00:00\n"
    "OP12,data_modification,S1,S2,,,,,2024-10-08T10:00:00\n"
    "OP13,permission_change,S1,S2,S1,,,,2024-10-08T10:00:00\n"
    "OP14,data_modification,S1,S2,S2,,,,2024-10-08T10:00:00\n"
    "OP15,data_modification,S1,S2,S3,,,,2024-10-08T10:00:00\n"
    "OP16,enroll,S1,S2,S3,P1,,,2024-10-08T10:00:00\n"     /* operator's own record */
    "OP17,enroll,S3,S2,S4,P2,,,2024-10-08T10:00:00\n"     /* reviewer's own record */
    "OP18,enroll,S2,S3,S1,P1,,,2024-10-08T10:00:00\n"     /* approver only: no */
    "OP19,enroll,S3,S4,,P3,,,2024-10-08T10:00:00\n"       /* staff without person_id */
    "OP20,payment,S1,,,,,100,2024-10-08T23:00:00\n";      /* small payment: not high-risk */

static fg_model *model(void) {
  return fg_test_model((fg_test_tables){[FG_T_STAFF] = staff, [FG_T_OPERATIONS] = ops});
}

/* Asserts the findings of rule are exactly the subjects listed. */
static void expect_subjects(const fg_model *m, const char *rule, const char *as_of,
                            const char *const *subjects, int n) {
  fg_findings f = fg_test_run_rule(m, rule, as_of);
  for (int i = 0; i < n; i++) {
    const fg_finding *x = fg_test_find(&f, subjects[i]);
    if (!x) fail_msg("%s: no finding for %s", rule, subjects[i]);
    assert_int_equal(x->amount_fen, 0);
    assert_true(x->nev >= 1);
  }
  if (f.n != n) fail_msg("%s: %lld findings, want %d", rule, (long long)f.n, n);
  fg_findings_release(&f);
}

static void test_self_review(void **state) {
  (void)state;
  fg_model *m = model();
  expect_subjects(m, "control.self_review", AS_OF, (const char *const[]){"OP10", "OP13", "OP9"}, 3);
  fg_model_free(m);
}

static void test_missing_review(void **state) {
  (void)state;
  fg_model *m = model();
  expect_subjects(m, "control.missing_review", AS_OF, (const char *const[]){"OP2"}, 1);
  fg_model_free(m);
}

static void test_unapproved_modification(void **state) {
  (void)state;
  fg_model *m = model();
  expect_subjects(m, "control.unapproved_modification", AS_OF,
                  (const char *const[]){"OP12", "OP13", "OP14"}, 3);
  fg_model_free(m);
}

static void test_self_dealing(void **state) {
  (void)state;
  fg_model *m = model();
  expect_subjects(m, "control.self_dealing", AS_OF, (const char *const[]){"OP16", "OP17"}, 2);
  fg_model_free(m);
}

static void test_off_hours(void **state) {
  (void)state;
  fg_model *m = model();
  expect_subjects(m, "control.off_hours_high_risk", AS_OF,
                  (const char *const[]){"OP4", "OP5", "OP7"}, 3);
  fg_model_free(m);
}

static void test_tenure(void **state) {
  (void)state;
  fg_model *m = model();
  /* as_of minus 5 years = 2020-06-30: S1 (06-29) fires, S2 (equal) not, S3 not high-risk */
  expect_subjects(m, "control.tenure_exceeded", AS_OF,
                  (const char *const[]){"S1", "S4", "S5"}, 3);
  /* 2024-02-29 minus 5 years = 2019-02-28: S4 (02-27) fires, S5 (equal) not */
  expect_subjects(m, "control.tenure_exceeded", "2024-02-29", (const char *const[]){"S4"}, 1);
  fg_model_free(m);
}

static void test_incompatible_roles(void **state) {
  (void)state;
  fg_model *m = model();
  fg_findings f = fg_test_run_rule(m, "control.incompatible_roles", AS_OF);
  assert_int_equal(f.n, 2);
  const fg_finding *x = fg_test_find(&f, "S1");
  assert_non_null(x);
  assert_string_equal(x->subject_type, "staff_id");
  assert_non_null(strstr(x->detail, "handler+reviewer"));
  assert_non_null(fg_test_find(&f, "S3"));
  fg_findings_release(&f);
  fg_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_self_review),   cmocka_unit_test(test_missing_review),
      cmocka_unit_test(test_unapproved_modification), cmocka_unit_test(test_self_dealing),
      cmocka_unit_test(test_off_hours),     cmocka_unit_test(test_tenure),
      cmocka_unit_test(test_incompatible_roles),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
