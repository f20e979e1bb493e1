-- sqlite_rules.sql — a representative subset of the rules of rules.md as
-- SQL for SQLite, run by bench/screen directly on a fundguard store (whose
-- standard tables keep the standard's names; money is INTEGER fen, dates
-- TEXT YYYY-MM-DD). ${AS_OF} is replaced by the runner. The subset covers
-- the shapes of the catalogue: person-by-month joins against another
-- authority (paid_after_death, contribution.after_death), grouping by
-- period (duplicate_pension), an existence join (unemployment_while_pensioned),
-- self-joins over stays (overlapping_inpatient), grouping by institution
-- (duplicate_invoice), monthly counts (high_frequency) and a row filter
-- (control.self_review).
CREATE TEMP TABLE dth AS SELECT upper(person_id) AS pid, min(death_date) AS dd,
  substr(min(death_date), 1, 7) AS dm FROM deaths GROUP BY 1;
CREATE INDEX temp.dth_pid ON dth(pid);
CREATE TEMP TABLE f(rule, subject_type, subject_id, amount_fen);
INSERT INTO f SELECT 'benefit.paid_after_death', 'person', upper(b.person_id), sum(b.amount)
  FROM benefit_payments b JOIN dth ON dth.pid = upper(b.person_id)
  WHERE b.benefit_type IN ('pension','unemployment','injury_disability','injury_dependant','maternity')
    AND b.period > dth.dm GROUP BY 3;
INSERT INTO f SELECT 'contribution.after_death', 'person', upper(c.person_id), sum(c.amount)
  FROM contributions c JOIN dth ON dth.pid = upper(c.person_id) WHERE c.period > dth.dm GROUP BY 3;
INSERT INTO f SELECT 'benefit.duplicate_pension', 'person', pid, sum(s - mx) FROM (
  SELECT upper(person_id) AS pid, period, sum(amount) AS s, max(amount) AS mx FROM benefit_payments
  WHERE benefit_type = 'pension' GROUP BY 1, 2 HAVING count(*) >= 2) GROUP BY pid;
CREATE TEMP TABLE pen AS SELECT DISTINCT upper(person_id) AS pid, period FROM benefit_payments
  WHERE benefit_type = 'pension';
CREATE INDEX temp.pen_i ON pen(pid, period);
INSERT INTO f SELECT 'benefit.unemployment_while_pensioned', 'person', upper(u.person_id), sum(u.amount)
  FROM benefit_payments u WHERE u.benefit_type = 'unemployment'
    AND EXISTS (SELECT 1 FROM pen WHERE pen.pid = upper(u.person_id) AND pen.period = u.period) GROUP BY 3;
CREATE TEMP TABLE inp AS SELECT settlement_id, upper(person_id) AS pid, institution_id, admit_date,
  discharge_date FROM medical_settlements WHERE visit_type = 'inpatient' AND discharge_date IS NOT NULL;
CREATE INDEX temp.inp_i ON inp(pid);
INSERT INTO f SELECT DISTINCT 'medical.overlapping_inpatient', 'person', a.pid, 0 FROM inp a JOIN inp b
  ON a.pid = b.pid AND a.institution_id <> b.institution_id AND a.settlement_id < b.settlement_id
  WHERE a.admit_date < b.discharge_date AND b.admit_date < a.discharge_date;
INSERT INTO f SELECT 'medical.duplicate_invoice', 'institution_id/invoice_no', institution_id || '/' || invoice_no,
  sum(fund_paid) - (SELECT m2.fund_paid FROM medical_settlements m2 WHERE m2.institution_id = m.institution_id
     AND m2.invoice_no = m.invoice_no ORDER BY m2.settled_on, m2.settlement_id LIMIT 1)
  FROM medical_settlements m GROUP BY institution_id, invoice_no HAVING count(*) >= 2;
INSERT INTO f SELECT DISTINCT 'medical.high_frequency', 'person', upper(person_id), 0 FROM medical_settlements
  WHERE visit_type = 'outpatient' GROUP BY upper(person_id), substr(admit_date, 1, 7) HAVING count(*) > 20;
INSERT INTO f SELECT 'control.self_review', 'op_id', op_id, 0 FROM operations
  WHERE reviewer_id = operator_id OR approver_id = operator_id;
SELECT rule, count(*), sum(amount_fen) FROM f GROUP BY rule ORDER BY rule;
