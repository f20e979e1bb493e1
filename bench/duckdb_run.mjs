// duckdb_run.mjs — run DuckDB (in memory, both cores) as fundguard's peer.
//
//   node duckdb_run.mjs load  DIR                 plain load: CREATE TABLE AS SELECT * FROM read_csv(...)
//   node duckdb_run.mjs rules DIR AS_OF CAL OUT   typed load, then the 50 rules, findings to OUT (CSV)
//   node duckdb_run.mjs monthly DIR OUT           typed load, then the monthly fund report of every
//                                                 month (duckdb_monthly.sql) to OUT (CSV)
//
// Prints one JSON line of timings (seconds) on stdout.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const [mode, dir, asOf, cal, out] = process.argv.slice(2);
const now = () => Number(process.hrtime.bigint()) / 1e9;
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const c = await db.connect();
const subst = (sql) => sql.replaceAll('${DIR}', dir).replaceAll('${AS_OF}', asOf ?? '')
  .replaceAll('${CAL}', cal ?? '').replaceAll('${OUT}', mode === 'monthly' ? asOf : '');
const runScript = async (sql) => {
  for (const stmt of sql.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s && !/^(--[^\n]*\n?)*$/.test(s)))
    await c.run(stmt);
};
const t0 = now();
if (mode === 'load') {
  let rows = 0;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) {
    const t = f.slice(0, -4);
    await c.run(`CREATE TABLE "${t}" AS SELECT * FROM read_csv('${dir}/${f}')`);
    const r = await c.runAndReadAll(`SELECT count(*) FROM "${t}"`);
    rows += Number(r.getRows()[0][0]);
  }
  console.log(JSON.stringify({ mode, load_s: now() - t0, rows }));
} else if (mode === 'rules') {
  await runScript(subst(readFileSync(path.join(here, 'duckdb_load.sql'), 'utf8')));
  const t1 = now();
  await runScript(subst(readFileSync(path.join(here, 'duckdb_rules.sql'), 'utf8')));
  const t2 = now();
  await c.run(`COPY (SELECT rule, subject_type, subject_id, printf('%.2f', amount) AS amount FROM findings
      ORDER BY rule, subject_id) TO '${out}' (HEADER, DELIMITER ',')`);
  const t3 = now();
  const n = await c.runAndReadAll('SELECT count(*) FROM findings');
  console.log(JSON.stringify({ mode, load_s: t1 - t0, rules_s: t2 - t1, export_s: t3 - t2,
    total_s: t3 - t0, findings: Number(n.getRows()[0][0]) }));
} else if (mode === 'monthly') {
  await runScript(subst(readFileSync(path.join(here, 'duckdb_load.sql'), 'utf8')));
  const t1 = now();
  await runScript(subst(readFileSync(path.join(here, 'duckdb_monthly.sql'), 'utf8')));
  console.log(JSON.stringify({ mode, load_s: t1 - t0, monthly_s: now() - t1 }));
} else {
  console.error('usage: duckdb_run.mjs load DIR | rules DIR AS_OF CAL OUT');
  process.exit(2);
}
