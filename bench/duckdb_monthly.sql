-- duckdb_monthly.sql — the monthly fund report of cases.md computed by DuckDB
-- from the standard files (loaded by duckdb_load.sql), independently of
-- fundguard: one row per month of the history (the months of contributions'
-- paid_date) and scheme, then an `all` row per month. Fund columns only (the
-- case columns depend on acts, not files). Written to ${OUT} as CSV.
CREATE TABLE months AS
  SELECT CAST(m AS DATE) AS first, CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS last
  FROM range((SELECT date_trunc('month', min(paid_date)) FROM contributions),
             (SELECT date_trunc('month', max(paid_date)) FROM contributions) + INTERVAL 1 MONTH,
             INTERVAL 1 MONTH) t(m);
CREATE TABLE schemes AS
  SELECT scheme FROM contributions UNION SELECT scheme FROM benefit_payments
  UNION SELECT scheme FROM medical_settlements UNION SELECT scheme FROM fund_accounts;
CREATE TABLE txn AS
  SELECT t.*, a.scheme, a.kind FROM fund_transactions t JOIN fund_accounts a USING (account_no);
CREATE TABLE report AS
  SELECT strftime(mo.first, '%Y-%m') AS month, s.scheme,
    (SELECT coalesce(sum(amount), 0) FROM contributions c WHERE c.scheme = s.scheme AND c.paid_date BETWEEN mo.first AND mo.last) AS contributions,
    (SELECT coalesce(sum(amount), 0) FROM benefit_payments b WHERE b.scheme = s.scheme AND b.paid_date BETWEEN mo.first AND mo.last) AS benefits,
    (SELECT coalesce(sum(fund_paid), 0) FROM medical_settlements m WHERE m.scheme = s.scheme AND m.settled_on BETWEEN mo.first AND mo.last) AS medical_fund_paid,
    (SELECT coalesce(sum(amount), 0) FROM txn WHERE txn.scheme = s.scheme AND kind = 'income' AND direction = 'in' AND booked_on BETWEEN mo.first AND mo.last) AS income_in,
    (SELECT coalesce(sum(amount), 0) FROM txn WHERE txn.scheme = s.scheme AND kind = 'income' AND direction = 'out' AND booked_on BETWEEN mo.first AND mo.last
       AND counterparty_account IN (SELECT account_no FROM fund_accounts f WHERE f.kind = 'fiscal_special' AND f.scheme = s.scheme)) AS swept_to_fiscal,
    (SELECT coalesce(sum(amount), 0) FROM txn WHERE txn.scheme = s.scheme AND kind = 'expenditure' AND direction = 'out' AND booked_on BETWEEN mo.first AND mo.last) AS expenditure_out,
    (SELECT coalesce(sum(opening_balance), 0) FROM fund_accounts a WHERE a.scheme = s.scheme AND a.kind = 'income' AND a.opened_on <= mo.last)
      + (SELECT coalesce(sum(CASE direction WHEN 'in' THEN amount ELSE -amount END), 0) FROM txn JOIN fund_accounts a USING (account_no)
         WHERE a.scheme = s.scheme AND a.kind = 'income' AND a.opened_on <= mo.last AND booked_on <= mo.last) AS income_balance,
    (SELECT coalesce(sum(opening_balance), 0) FROM fund_accounts a WHERE a.scheme = s.scheme AND a.kind = 'expenditure' AND a.opened_on <= mo.last)
      + (SELECT coalesce(sum(CASE direction WHEN 'in' THEN amount ELSE -amount END), 0) FROM txn JOIN fund_accounts a USING (account_no)
         WHERE a.scheme = s.scheme AND a.kind = 'expenditure' AND a.opened_on <= mo.last AND booked_on <= mo.last) AS expenditure_balance,
    (SELECT coalesce(sum(opening_balance), 0) FROM fund_accounts a WHERE a.scheme = s.scheme AND a.kind = 'fiscal_special' AND a.opened_on <= mo.last)
      + (SELECT coalesce(sum(CASE direction WHEN 'in' THEN amount ELSE -amount END), 0) FROM txn JOIN fund_accounts a USING (account_no)
         WHERE a.scheme = s.scheme AND a.kind = 'fiscal_special' AND a.opened_on <= mo.last AND booked_on <= mo.last) AS fiscal_balance
  FROM months mo, schemes s;
COPY (
  SELECT month, scheme, printf('%.2f', contributions), printf('%.2f', benefits), printf('%.2f', medical_fund_paid),
    printf('%.2f', income_in), printf('%.2f', swept_to_fiscal), printf('%.2f', expenditure_out),
    printf('%.2f', income_balance), printf('%.2f', expenditure_balance), printf('%.2f', fiscal_balance)
  FROM (SELECT * FROM report UNION ALL
        SELECT month, 'all', sum(contributions), sum(benefits), sum(medical_fund_paid), sum(income_in), sum(swept_to_fiscal),
          sum(expenditure_out), sum(income_balance), sum(expenditure_balance), sum(fiscal_balance) FROM report GROUP BY month)
  ORDER BY month, scheme = 'all', scheme
) TO '${OUT}' (HEADER false, DELIMITER ',');
