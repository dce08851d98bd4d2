// DuckDB (@duckdb/node-api, pinned in package-lock.json) as the benchmarks' peer, the same
// figures as candor::stats from the same data, timed here with 1 and 2 threads.
//   node peer.mjs stats CSV   site,nps,csat,ces loaded once; the GROUP BY timed (stats_bench)
//   node peer.mjs report CSV  the export read and every figure worked out, each run (report_bench)
// Prints "threads=T ms=M" (median of RUNS runs, default 5) per thread count, then "check ...".
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, file] = process.argv.slice(2);
const runs = Number(process.env.RUNS || 5);
const quoted = `'${file.replaceAll("'", "''")}'`;

// The figures of one group from its sums, as candor::stats works them out.
function figures(r) {
  const score = (100 * (r.p - r.d)) / r.n;
  return {
    nps: score,
    se: Math.sqrt((1e4 * (r.p + r.d) - r.n * score * score) / (r.n - 1) / r.n),
    csat: r.ch / r.cn,
    ces: r.es / r.en,
    ces_sd: Math.sqrt((r.ess - (r.es * r.es) / r.en) / (r.en - 1)),
  };
}

const sums = (nps, csat, ces) =>
  `count(${nps})::DOUBLE n, count_if(${nps} >= 9)::DOUBLE p, count_if(${nps} <= 6)::DOUBLE d,` +
  ` count(${csat})::DOUBLE cn, count_if(${csat} >= 4)::DOUBLE ch, count(${ces})::DOUBLE en,` +
  ` sum(${ces})::DOUBLE es, sum(${ces}::INTEGER * ${ces})::DOUBLE ess`;

const queries = {
  stats: `SELECT site, ${sums('nps', 'csat', 'ces')} FROM cards GROUP BY site ORDER BY site`,
  // NPS, CSAT and CES overall, by site and by ISO week, in one read of the file.
  report:
    `SELECT grouping(site) gs, grouping(wk) gw, site, wk, ` +
    `${sums('recommend', 'satisfaction', 'checkin_effort')} FROM (SELECT site,` +
    ` date_trunc('week', submitted) wk, recommend, satisfaction, checkin_effort FROM` +
    ` read_csv(${quoted}, header = true, types = {'submitted': 'TIMESTAMPTZ', 'recommend':` +
    ` 'TINYINT', 'satisfaction': 'TINYINT', 'checkin_effort': 'TINYINT'})) GROUP BY` +
    ` GROUPING SETS ((), (site), (wk)) ORDER BY gs, gw, site, wk`,
};

const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
if (mode === 'stats')
  await c.run(`CREATE TABLE cards AS SELECT * FROM read_csv(${quoted}, header = true, types =` +
              ` {'site': 'INTEGER', 'nps': 'TINYINT', 'csat': 'TINYINT', 'ces': 'TINYINT'})`);
let first;
for (const threads of [1, 2]) {
  await c.run(`SET threads = ${threads}`);
  const ms = [];
  for (let i = 0; i < runs; ++i) {
    const t0 = performance.now();
    const rows = (await c.runAndReadAll(queries[mode])).getRowObjects().map(r => ({...r, ...figures(r)}));
    ms.push(performance.now() - t0);
    first ??= rows[0];
  }
  ms.sort((a, b) => a - b);
  console.log(`threads=${threads} ms=${ms[(ms.length - 1) >> 1].toFixed(3)}`);
}
console.log(`check ${first.nps.toFixed(12)} ${first.se.toFixed(12)} ${first.csat.toFixed(12)} ${first.ces.toFixed(12)}`);
