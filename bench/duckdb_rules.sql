-- duckdb_rules.sql — the 50 rules of rules.md v1.3 written as SQL for DuckDB.
--
-- This is the peer of fundguard's screening engine in bench/screen: the same
-- rules, over the same CSV files (loaded by duckdb_load.sql), producing the
-- same (rule, subject_type, subject_id, amount) rows. bench/screen also
-- compares its output with fundguard's export, so this file doubles as an
-- independent second reading of the catalogue. ${AS_OF} and ${DIR} are
-- replaced by the runner.

CREATE MACRO mi(p) AS CAST(substr(p, 1, 4) AS INTEGER) * 12 + CAST(substr(p, 6, 2) AS INTEGER) - 1;
CREATE MACRO dmi(d) AS year(d) * 12 + month(d) - 1;
CREATE MACRO isleap(y) AS (y % 4 = 0 AND (y % 100 <> 0 OR y % 400 = 0));
-- birth plus n years; 29 February becomes 1 March in a common year
CREATE MACRO bday(b, n) AS CASE WHEN month(b) = 2 AND day(b) = 29 AND NOT isleap(year(b) + n)
  THEN make_date(year(b) + n, 3, 1) ELSE make_date(year(b) + n, month(b), day(b)) END;
-- d minus n years; 29 February becomes 28 February in a common year
CREATE MACRO dminus(d, n) AS CASE WHEN month(d) = 2 AND day(d) = 29 AND NOT isleap(year(d) - n)
  THEN make_date(year(d) - n, 2, 28) ELSE make_date(year(d) - n, month(d), day(d)) END;
CREATE MACRO prov_ok(s) AS (TRY_CAST(s AS INTEGER) BETWEEN 11 AND 15 OR TRY_CAST(s AS INTEGER) BETWEEN 21 AND 23
  OR TRY_CAST(s AS INTEGER) BETWEEN 31 AND 37 OR TRY_CAST(s AS INTEGER) BETWEEN 41 AND 46
  OR TRY_CAST(s AS INTEGER) BETWEEN 50 AND 54 OR TRY_CAST(s AS INTEGER) BETWEEN 61 AND 65
  OR TRY_CAST(s AS INTEGER) IN (71, 81, 82, 83));

CREATE TEMP TABLE p AS SELECT upper(person_id) AS pid, sex, birth_date FROM persons;
-- retirements with their original age O and the 2025 law's delay in months (rules.md v1.3):
-- men 60 from 1965-01 one month per 4, cap 36; women cadres 55 from 1970-01 per 4, cap 36;
-- women workers 50 from 1975-01 per 2, cap 60
CREATE TEMP TABLE rs AS SELECT pid, kind, retire_date, birth_date, o,
  CASE WHEN k < 0 THEN 0 ELSE least(cap, k // step + 1) END AS delay FROM (
  SELECT p.pid, r.kind, r.retire_date, p.birth_date, o,
    dmi(p.birth_date) - (CASE o WHEN 60 THEN 1965 WHEN 55 THEN 1970 ELSE 1975 END) * 12 AS k,
    CASE o WHEN 50 THEN 2 ELSE 4 END AS step, CASE o WHEN 50 THEN 60 ELSE 36 END AS cap
  FROM (SELECT *, original_age AS oa FROM retirements) r
  JOIN p ON p.pid = upper(r.person_id)
  CROSS JOIN LATERAL (SELECT coalesce(r.oa, CASE WHEN p.sex = '1' THEN 60 ELSE 50 END) AS o)
  WHERE r.oa IS NOT NULL OR p.sex IN ('1', '2'));
CREATE TEMP TABLE dth AS SELECT upper(person_id) AS pid, min(death_date) AS dd, dmi(min(death_date)) AS dm
  FROM deaths GROUP BY 1;
CREATE TEMP TABLE pay AS SELECT rowid AS rid, payment_id, upper(person_id) AS pid, scheme, benefit_type,
  mi(period) AS pm, amount, bank_account FROM benefit_payments;
CREATE TEMP TABLE con AS SELECT rowid AS rid, upper(person_id) AS pid, employer_id, scheme, region,
  mi(period) AS pm, CAST(substr(period, 1, 4) AS INTEGER) AS py, base, amount, paid_date, kind FROM contributions;
CREATE TEMP TABLE ms AS SELECT settlement_id, upper(person_id) AS pid, institution_id, visit_type,
  admit_date, discharge_date, diagnosis, invoice_no, fund_paid, settled_on FROM medical_settlements;
CREATE TEMP TABLE cal AS SELECT CAST(date AS DATE) AS d, kind FROM read_csv('${CAL}', header=true, all_varchar=true);
CREATE TEMP TABLE ops AS SELECT *, (op_type IN ('back_payment', 'retirement_approval', 'benefit_change',
  'data_modification', 'permission_change') OR (op_type = 'payment' AND amount > 50000)) AS high_risk_op FROM operations;

CREATE TEMP TABLE findings AS
-- identity.invalid_id
WITH idchk AS (
  SELECT pid, birth_date, sex,
    regexp_full_match(pid, '[0-9]{17}[0-9X]') AS shape,
    try_strptime(substr(pid, 7, 8), '%Y%m%d') AS idbirth
  FROM p),
idv AS (
  SELECT *, CASE WHEN shape AND idbirth IS NOT NULL THEN CAST(idbirth AS DATE) <= DATE '${AS_OF}'
    AND substr('10X98765432', CAST(list_sum(list_transform(range(17), i -> TRY_CAST(substr(pid, i + 1, 1) AS INTEGER)
      * [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2][i + 1])) % 11 AS INTEGER) + 1, 1) = substr(pid, 18, 1)
    AND (prov_ok(substr(pid, 1, 2)) OR (substr(pid, 1, 1) = '9' AND prov_ok(substr(pid, 2, 2)))) ELSE false END AS valid
  FROM idchk)
SELECT 'identity.invalid_id' AS rule, 'person' AS subject_type, pid AS subject_id, 0::DECIMAL(18,2) AS amount
  FROM idv WHERE NOT coalesce(valid, false)
UNION ALL
SELECT 'identity.id_mismatch', 'person', pid, 0 FROM idv
  WHERE valid AND (CAST(idbirth AS DATE) <> birth_date
    OR (substr(pid, 1, 1) <> '9' AND (CASE WHEN CAST(substr(pid, 17, 1) AS INTEGER) % 2 = 1 THEN '1' ELSE '2' END) <> sex))
UNION ALL
-- enrollment.over_age
SELECT 'enrollment.over_age', 'person', e.pid, 0 FROM (
    SELECT upper(person_id) AS pid, min(start_date) AS s FROM enrollments WHERE scheme = '110' GROUP BY 1) e
  JOIN p ON p.pid = e.pid
  WHERE e.s >= bday(p.birth_date, CASE WHEN p.sex = '1' THEN 60 ELSE 55 END)
UNION ALL
-- enrollment.duplicate
SELECT DISTINCT 'enrollment.duplicate', 'person', a.pid, 0 FROM
  (SELECT rowid AS rid, upper(person_id) AS pid, start_date, end_date,
     CASE WHEN scheme IN ('110','120','170') THEN 'P' WHEN scheme IN ('310','390') THEN 'M'
          WHEN scheme = '210' THEN 'U' WHEN scheme = '510' THEN 'B' END AS g FROM enrollments) a
  JOIN (SELECT rowid AS rid, upper(person_id) AS pid, start_date, end_date,
     CASE WHEN scheme IN ('110','120','170') THEN 'P' WHEN scheme IN ('310','390') THEN 'M'
          WHEN scheme = '210' THEN 'U' WHEN scheme = '510' THEN 'B' END AS g FROM enrollments) b
    ON a.pid = b.pid AND a.g = b.g AND a.rid < b.rid
  WHERE a.g IS NOT NULL AND a.start_date <= coalesce(b.end_date, DATE '9999-12-31')
    AND b.start_date <= coalesce(a.end_date, DATE '9999-12-31')
UNION ALL
-- contribution.base_out_of_range
SELECT DISTINCT 'contribution.base_out_of_range', 'person', c.pid, 0 FROM con c
  JOIN wage_bases w ON w.region = c.region AND w.year = c.py
  WHERE c.scheme = '110' AND c.employer_id IS NOT NULL AND (c.base < w.floor OR c.base > w.cap)
UNION ALL
-- contribution.base_spike
SELECT DISTINCT 'contribution.base_spike', 'person', r.pid, 0 FROM (
  SELECT upper(r.person_id) AS pid, dmi(r.retire_date) AS m,
    sum(c.base) FILTER (WHERE c.pm BETWEEN dmi(r.retire_date) - 36 AND dmi(r.retire_date) - 1) AS sa,
    count(*) FILTER (WHERE c.pm BETWEEN dmi(r.retire_date) - 36 AND dmi(r.retire_date) - 1) AS na,
    count(DISTINCT c.pm) FILTER (WHERE c.pm BETWEEN dmi(r.retire_date) - 36 AND dmi(r.retire_date) - 1) AS da,
    sum(c.base) FILTER (WHERE c.pm BETWEEN dmi(r.retire_date) - 72 AND dmi(r.retire_date) - 37) AS sb,
    count(*) FILTER (WHERE c.pm BETWEEN dmi(r.retire_date) - 72 AND dmi(r.retire_date) - 37) AS nb,
    count(DISTINCT c.pm) FILTER (WHERE c.pm BETWEEN dmi(r.retire_date) - 72 AND dmi(r.retire_date) - 37) AS db
  FROM (SELECT rowid AS rrid, * FROM retirements) r JOIN con c ON c.pid = upper(r.person_id) AND c.scheme = '110'
  GROUP BY r.rrid, 1, 2) r
  WHERE da >= 12 AND db >= 12 AND sa * nb > 2 * sb * na
UNION ALL
-- contribution.backpay_before_retirement
SELECT 'contribution.backpay_before_retirement', 'person', pid, sum(amount) FROM (
  SELECT DISTINCT c.pid, c.rid, c.amount FROM (
    SELECT r.rrid, c.rid FROM (SELECT rowid AS rrid, * FROM retirements) r
      JOIN con c ON c.pid = upper(r.person_id) AND c.kind = 'back_payment' AND c.scheme IN ('110','120','170')
        AND c.paid_date BETWEEN r.approved_on - 364 AND r.approved_on
      QUALIFY count(DISTINCT c.pm) OVER (PARTITION BY r.rrid) >= 12) x
    JOIN con c ON c.rid = x.rid) y GROUP BY pid
UNION ALL
-- contribution.before_age_16
SELECT 'contribution.before_age_16', 'person', c.pid, sum(c.amount) FROM con c JOIN p ON p.pid = c.pid
  WHERE c.scheme <> '390' AND c.pm < dmi(bday(p.birth_date, 16)) GROUP BY c.pid
UNION ALL
-- contribution.after_death
SELECT 'contribution.after_death', 'person', c.pid, sum(c.amount) FROM con c JOIN dth ON dth.pid = c.pid
  WHERE c.pm > dth.dm GROUP BY c.pid
UNION ALL
-- benefit.paid_after_death
SELECT 'benefit.paid_after_death', 'person', y.pid, sum(y.amount) FROM pay y JOIN dth ON dth.pid = y.pid
  WHERE y.benefit_type IN ('pension','unemployment','injury_disability','injury_dependant','maternity')
    AND y.pm > dth.dm GROUP BY y.pid
UNION ALL
-- benefit.paid_during_incarceration
SELECT 'benefit.paid_during_incarceration', 'person', pid, sum(amount) FROM (
  SELECT DISTINCT y.rid, y.pid, y.amount FROM pay y
    JOIN incarcerations i ON upper(i.person_id) = y.pid
  WHERE y.benefit_type = 'pension' AND y.pm > dmi(i.start_date)
    AND (i.end_date IS NULL OR y.pm <= dmi(i.end_date))) GROUP BY pid
UNION ALL
-- benefit.duplicate_pension
SELECT 'benefit.duplicate_pension', 'person', pid, sum(s - mx) FROM (
  SELECT pid, pm, sum(amount) AS s, max(amount) AS mx FROM pay WHERE benefit_type = 'pension'
  GROUP BY pid, pm HAVING count(*) >= 2) GROUP BY pid
UNION ALL
-- benefit.unemployment_while_employed
SELECT 'benefit.unemployment_while_employed', 'person', pid, sum(amount) FROM pay y
  WHERE benefit_type = 'unemployment' AND EXISTS (SELECT 1 FROM con c WHERE c.pid = y.pid AND c.pm = y.pm
    AND c.scheme IN ('110','310') AND c.employer_id IS NOT NULL) GROUP BY pid
UNION ALL
-- benefit.unemployment_while_pensioned
SELECT 'benefit.unemployment_while_pensioned', 'person', pid, sum(amount) FROM pay y
  WHERE benefit_type = 'unemployment' AND EXISTS (SELECT 1 FROM pay z WHERE z.pid = y.pid AND z.pm = y.pm
    AND z.benefit_type = 'pension') GROUP BY pid
UNION ALL
-- benefit.unemployment_over_entitlement
SELECT 'benefit.unemployment_over_entitlement', 'person', u.pid, sum(y.amount) FROM (
  SELECT f.pid, f.pm, f.rk, CASE WHEN coalesce(m.n, 0) < 12 THEN 0 WHEN m.n < 60 THEN 12
      WHEN m.n < 120 THEN 18 ELSE 24 END AS ent FROM (
    SELECT pid, pm, dense_rank() OVER (PARTITION BY pid ORDER BY pm) AS rk, min(pm) OVER (PARTITION BY pid) AS first
    FROM (SELECT DISTINCT pid, pm FROM pay WHERE benefit_type = 'unemployment')) f
  LEFT JOIN (SELECT f2.pid, count(DISTINCT c.pm) AS n FROM
      (SELECT pid, min(pm) AS first FROM pay WHERE benefit_type = 'unemployment' GROUP BY pid) f2
      JOIN con c ON c.pid = f2.pid AND c.scheme = '210' AND c.pm < f2.first GROUP BY f2.pid) m ON m.pid = f.pid) u
  JOIN pay y ON y.pid = u.pid AND y.pm = u.pm AND y.benefit_type = 'unemployment'
  WHERE u.rk > u.ent GROUP BY u.pid
UNION ALL
-- benefit.survival_cert_overdue
SELECT 'benefit.survival_cert_overdue', 'person', l.pid, 0 FROM (
    SELECT pid, max(pm) AS lm, min(pm) AS fm FROM pay WHERE benefit_type = 'pension' GROUP BY pid) l
  LEFT JOIN (SELECT upper(person_id) AS pid, dmi(max(certified_on)) AS cm FROM survival_certifications
    WHERE certified_on <= DATE '${AS_OF}' GROUP BY 1) c ON c.pid = l.pid
  WHERE l.lm - coalesce(c.cm, l.fm) > 12
UNION ALL
-- benefit.shared_bank_account
SELECT DISTINCT 'benefit.shared_bank_account', 'bank_account', bank_account, 0 FROM pay
  GROUP BY bank_account, pm HAVING count(DISTINCT pid) >= 3
UNION ALL
-- benefit.large_payment_unreviewed
SELECT 'benefit.large_payment_unreviewed', 'payment_id', payment_id, sum(amount) FROM pay y
  WHERE amount > 50000 AND NOT EXISTS (SELECT 1 FROM operations o WHERE o.op_type = 'payment'
    AND o.reference = y.payment_id AND o.reviewer_id IS NOT NULL AND o.reviewer_id <> o.operator_id)
  GROUP BY payment_id
UNION ALL
-- benefit.maternity_repeat
SELECT DISTINCT 'benefit.maternity_repeat', 'person', pid, 0 FROM (
  SELECT pid, pm, pm - lag(pm) OVER (PARTITION BY pid ORDER BY pm) AS gap_start FROM (
    SELECT pid, pm FROM (SELECT pid, pm, lag(pm) OVER (PARTITION BY pid ORDER BY pm) AS prev FROM
      (SELECT DISTINCT pid, pm FROM pay WHERE benefit_type = 'maternity')) WHERE prev IS NULL OR prev + 1 < pm))
  WHERE gap_start < 10
UNION ALL
-- retirement.*
SELECT DISTINCT 'retirement.birthdate_altered', 'person', p.pid, 0 FROM retirements r JOIN p ON p.pid = upper(r.person_id)
  WHERE r.birth_date_on_file <> p.birth_date
UNION ALL
SELECT DISTINCT 'retirement.single_review', 'person', upper(person_id), 0 FROM retirements
  WHERE kind IN ('early','special_work','disability') AND (reviewer1 IS NULL OR reviewer2 IS NULL OR reviewer1 = reviewer2)
UNION ALL
SELECT DISTINCT 'retirement.special_work_ineligible', 'person', p.pid, 0 FROM retirements r JOIN p ON p.pid = upper(r.person_id)
  WHERE r.kind = 'special_work' AND (r.special_work_years IS NULL OR r.special_work_years < 8
    OR r.retire_date < bday(p.birth_date, CASE WHEN p.sex = '1' THEN 55 ELSE 45 END))
UNION ALL
SELECT DISTINCT 'retirement.underage', 'person', pid, 0 FROM rs
  WHERE kind = 'normal' AND retire_date < CAST(bday(birth_date, o) + to_months(delay) AS DATE)
UNION ALL
-- retirement.flexible_out_of_range (v1.3)
SELECT DISTINCT 'retirement.flexible_out_of_range', 'person', pid, 0 FROM rs
  WHERE (kind = 'flexible_early' AND retire_date < greatest(CAST(bday(birth_date, o) + to_months(delay - 36) AS DATE), bday(birth_date, o)))
     OR (kind = 'flexible_late' AND retire_date > CAST(bday(birth_date, o) + to_months(delay + 36) AS DATE))
UNION ALL
-- retirement.insufficient_contribution (v1.3): no persons row needed
SELECT DISTINCT 'retirement.insufficient_contribution', 'person', upper(person_id), 0 FROM retirements
  WHERE kind IN ('normal', 'flexible_early', 'flexible_late') AND contribution_months IS NOT NULL
    AND contribution_months < CASE WHEN year(retire_date) < 2030 THEN 180
                                   ELSE least(240, 180 + (year(retire_date) - 2029) * 6) END
UNION ALL
-- medical.overlapping_inpatient
SELECT DISTINCT 'medical.overlapping_inpatient', 'person', a.pid, 0 FROM ms a JOIN ms b
  ON a.pid = b.pid AND a.institution_id <> b.institution_id AND a.settlement_id < b.settlement_id
  WHERE a.visit_type = 'inpatient' AND b.visit_type = 'inpatient' AND a.discharge_date IS NOT NULL
    AND b.discharge_date IS NOT NULL AND a.admit_date < b.discharge_date AND b.admit_date < a.discharge_date
UNION ALL
-- medical.outpatient_during_inpatient
SELECT DISTINCT 'medical.outpatient_during_inpatient', 'person', a.pid, 0 FROM ms a JOIN ms o
  ON a.pid = o.pid AND a.institution_id <> o.institution_id
  WHERE a.visit_type = 'inpatient' AND a.discharge_date IS NOT NULL AND o.visit_type = 'outpatient'
    AND o.admit_date > a.admit_date AND o.admit_date < a.discharge_date
UNION ALL
-- medical.after_death
SELECT 'medical.after_death', 'person', s.pid, sum(s.fund_paid) FROM ms s JOIN dth ON dth.pid = s.pid
  WHERE s.admit_date > dth.dd GROUP BY s.pid
UNION ALL
-- medical item rules
SELECT DISTINCT 'medical.sex_mismatch', 'settlement_id', i.settlement_id, 0 FROM medical_items i
  JOIN catalog k ON k.item_code = i.item_code JOIN ms s ON s.settlement_id = i.settlement_id JOIN p ON p.pid = s.pid
  WHERE k.sex_limit IS NOT NULL AND k.sex_limit <> p.sex
UNION ALL
SELECT DISTINCT 'medical.age_mismatch', 'settlement_id', i.settlement_id, 0 FROM medical_items i
  JOIN catalog k ON k.item_code = i.item_code JOIN ms s ON s.settlement_id = i.settlement_id JOIN p ON p.pid = s.pid
  WHERE (k.min_age IS NOT NULL AND i.service_date < bday(p.birth_date, CAST(k.min_age AS INTEGER)))
     OR (k.max_age IS NOT NULL AND i.service_date >= bday(p.birth_date, CAST(k.max_age AS INTEGER) + 1))
UNION ALL
SELECT 'medical.price_over_limit', 'settlement_id', i.settlement_id,
    sum(round((i.unit_price - k.max_unit_price) * i.quantity, 2)) FROM medical_items i
  JOIN catalog k ON k.item_code = i.item_code
  WHERE k.max_unit_price IS NOT NULL AND i.unit_price > k.max_unit_price GROUP BY i.settlement_id
UNION ALL
SELECT DISTINCT 'medical.quantity_over_limit', 'settlement_id', q.settlement_id, 0 FROM (
  SELECT settlement_id, item_code, service_date, sum(quantity) AS qty FROM medical_items
  GROUP BY ALL) q JOIN catalog k ON k.item_code = q.item_code
  WHERE k.max_qty_per_day IS NOT NULL AND q.qty > k.max_qty_per_day
UNION ALL
SELECT 'medical.out_of_scope_charged', 'settlement_id', i.settlement_id, sum(i.fund_amount) FROM medical_items i
  LEFT JOIN catalog k ON k.item_code = i.item_code
  WHERE (k.item_code IS NULL OR k.in_scope = 'N') AND i.fund_amount > 0 GROUP BY i.settlement_id
UNION ALL
-- medical.duplicate_invoice
SELECT 'medical.duplicate_invoice', 'institution_id/invoice_no', institution_id || '/' || invoice_no,
    sum(fund_paid) FILTER (WHERE rn > 1) FROM (
  SELECT institution_id, invoice_no, fund_paid,
    row_number() OVER (PARTITION BY institution_id, invoice_no ORDER BY settled_on, settlement_id) AS rn,
    count(*) OVER (PARTITION BY institution_id, invoice_no) AS n FROM ms) WHERE n >= 2
  GROUP BY institution_id, invoice_no
UNION ALL
-- medical.outside_agreement
SELECT 'medical.outside_agreement', 'settlement_id', s.settlement_id, sum(s.fund_paid) FROM ms s
  WHERE NOT EXISTS (SELECT 1 FROM institutions a WHERE a.institution_id = s.institution_id
    AND s.settled_on >= a.agreement_start
    AND (CASE WHEN a.terminated_on IS NOT NULL THEN s.settled_on < a.terminated_on
              ELSE a.agreement_end IS NULL OR s.settled_on <= a.agreement_end END))
  GROUP BY s.settlement_id
UNION ALL
-- medical.high_frequency
SELECT DISTINCT 'medical.high_frequency', 'person', pid, 0 FROM ms WHERE visit_type = 'outpatient'
  GROUP BY pid, dmi(admit_date) HAVING count(*) > 20
UNION ALL
-- medical.bed_hanging
SELECT 'medical.bed_hanging', 'settlement_id', s.settlement_id, 0 FROM ms s
  LEFT JOIN (SELECT i.settlement_id, count(DISTINCT i.service_date) AS act FROM medical_items i
      JOIN ms s2 ON s2.settlement_id = i.settlement_id LEFT JOIN catalog k ON k.item_code = i.item_code
      WHERE (k.category IS NULL OR k.category <> 'bed') AND i.service_date >= s2.admit_date
        AND i.service_date < s2.discharge_date GROUP BY i.settlement_id) a ON a.settlement_id = s.settlement_id
  WHERE s.visit_type = 'inpatient' AND s.discharge_date IS NOT NULL AND s.discharge_date - s.admit_date >= 5
    AND 2 * coalesce(a.act, 0) < s.discharge_date - s.admit_date
UNION ALL
-- medical.split_admission
SELECT DISTINCT 'medical.split_admission', 'person', a.pid, 0 FROM ms a JOIN ms b
  ON a.pid = b.pid AND a.institution_id = b.institution_id AND a.settlement_id <> b.settlement_id
  WHERE a.visit_type = 'inpatient' AND b.visit_type = 'inpatient' AND a.discharge_date IS NOT NULL
    AND b.discharge_date IS NOT NULL AND length(a.diagnosis) >= 3 AND length(b.diagnosis) >= 3
    AND substr(a.diagnosis, 1, 3) = substr(b.diagnosis, 1, 3)
    AND b.admit_date - a.discharge_date BETWEEN 0 AND 15
UNION ALL
-- institution.resigned_within_ban
SELECT DISTINCT 'institution.resigned_within_ban', 'institution', a.institution_id, 0 FROM institutions a
  JOIN institutions b ON a.institution_id = b.institution_id AND a.rowid <> b.rowid
  WHERE a.terminated_on IS NOT NULL AND a.termination_reason IS NOT NULL
    AND b.agreement_start >= a.terminated_on
    AND b.agreement_start < bday(a.terminated_on, CASE WHEN a.termination_reason = 'illegal' THEN 2 ELSE 1 END)
UNION ALL
-- fund.income_balance_at_month_end
SELECT DISTINCT 'fund.income_balance_at_month_end', 'account_no', account_no, 0 FROM (
  SELECT m.account_no, m.em, a.opening_balance + sum(CASE WHEN t.direction = 'in' THEN t.amount ELSE -t.amount END) AS bal
  FROM (SELECT DISTINCT t.account_no, dmi(greatest(t.booked_on, a.opened_on)) AS em FROM fund_transactions t
        JOIN fund_accounts a ON a.account_no = t.account_no WHERE a.kind = 'income') m
  JOIN fund_accounts a ON a.account_no = m.account_no
  JOIN fund_transactions t ON t.account_no = m.account_no AND dmi(greatest(t.booked_on, a.opened_on)) <= m.em
  WHERE last_day(make_date(m.em // 12, m.em % 12 + 1, 1)) <= DATE '${AS_OF}'
  GROUP BY m.account_no, m.em, a.opening_balance) WHERE bal <> 0
UNION ALL
-- fund.income_account_outflow
SELECT 'fund.income_account_outflow', 'txn_id', t.txn_id, sum(t.amount) FROM fund_transactions t
  JOIN fund_accounts a ON a.account_no = t.account_no LEFT JOIN fund_accounts c ON c.account_no = t.counterparty_account
  WHERE a.kind = 'income' AND t.direction = 'out'
    AND NOT coalesce(c.kind = 'fiscal_special' AND c.scheme = a.scheme, false)
    AND NOT (coalesce(t.purpose, '') = 'refund' AND t.counterparty_kind IN ('person', 'employer'))
    AND NOT (coalesce(t.purpose, '') = 'remit_up' AND t.counterparty_kind = 'fund'
             AND t.counterparty_account IS NOT NULL AND c.account_no IS NULL)
  GROUP BY t.txn_id
UNION ALL
-- fund.cross_scheme_transfer
SELECT 'fund.cross_scheme_transfer', 'txn_id', t.txn_id, sum(t.amount) FROM fund_transactions t
  JOIN fund_accounts a ON a.account_no = t.account_no JOIN fund_accounts c ON c.account_no = t.counterparty_account
  WHERE t.direction = 'out' AND a.scheme <> c.scheme GROUP BY t.txn_id
UNION ALL
-- fund.unmatched_private_payment
SELECT 'fund.unmatched_private_payment', 'txn_id', t.txn_id, sum(t.amount) FROM fund_transactions t
  JOIN fund_accounts a ON a.account_no = t.account_no
  LEFT JOIN benefit_payments b ON b.payment_id = t.reference
  WHERE a.kind = 'expenditure' AND t.direction = 'out' AND t.counterparty_kind = 'person'
    AND (b.payment_id IS NULL OR b.amount <> t.amount OR t.counterparty_account IS NULL
         OR b.bank_account <> t.counterparty_account)
  GROUP BY t.txn_id
UNION ALL
-- control.*
SELECT 'control.self_review', 'op_id', op_id, 0 FROM ops
  WHERE reviewer_id = operator_id OR approver_id = operator_id
UNION ALL
SELECT 'control.missing_review', 'op_id', op_id, 0 FROM ops WHERE high_risk_op AND reviewer_id IS NULL
UNION ALL
SELECT 'control.unapproved_modification', 'op_id', op_id, 0 FROM ops
  WHERE op_type IN ('data_modification', 'permission_change')
    AND (approver_id IS NULL OR approver_id = operator_id OR approver_id = reviewer_id)
UNION ALL
SELECT 'control.self_dealing', 'op_id', o.op_id, 0 FROM ops o
  WHERE o.subject_person_id IS NOT NULL AND EXISTS (SELECT 1 FROM staff s
    WHERE s.person_id IS NOT NULL AND upper(s.person_id) = upper(o.subject_person_id)
      AND (s.staff_id = o.operator_id OR s.staff_id = o.reviewer_id))
UNION ALL
SELECT 'control.tenure_exceeded', 'staff_id', staff_id, 0 FROM staff
  WHERE high_risk = 'Y' AND post_since < dminus(DATE '${AS_OF}', 5)
UNION ALL
SELECT 'control.incompatible_roles', 'staff_id', staff_id, 0 FROM (
  SELECT staff_id, list_transform(string_split(coalesce(roles, ''), ';'), r -> lower(trim(r))) AS rl FROM staff)
  WHERE (list_contains(rl, 'handler') AND list_contains(rl, 'reviewer'))
     OR (list_contains(rl, 'accountant') AND list_contains(rl, 'cashier'))
     OR (list_contains(rl, 'sysadmin') AND list_contains(rl, 'dbadmin'))
     OR (list_contains(rl, 'handler') AND list_contains(rl, 'supervisor'))
UNION ALL
SELECT 'control.off_hours_high_risk', 'op_id', o.op_id, 0 FROM ops o LEFT JOIN cal ON cal.d = CAST(o."at" AS DATE)
  WHERE o.high_risk_op AND (CAST(o."at" AS TIME) < TIME '08:00:00' OR CAST(o."at" AS TIME) > TIME '19:00:00'
    OR (CASE WHEN cal.kind = 'off' THEN true WHEN cal.kind = 'work' THEN false
             ELSE isodow(CAST(o."at" AS DATE)) >= 6 END));
