/**
 * `npm run bench [-- --quick] [-- suite…]`: runs every suite `bench/<suite>.ts` (all files but
 * run.ts, report.ts and scratch files whose name starts with `_`), each in its own child process `node --import tsx bench/<suite>.ts`,
 * forwarding `--quick`; positional arguments keep only the suites named. Then it writes
 * `bench/results/report.md` from every `bench/results/<suite>.json` and exits non-zero if a suite
 * crashed (a goal that is missed is reported, not an error), and `bench/results/report.html`: the same
 * tables with each suite's charts as SVG.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { RESULTS_DIR, readSuiteResults, renderReport } from './report'
import { renderHtmlReport } from './reportHtml'

const BENCH_DIR = resolve('bench')
const NOT_SUITES = new Set(['modulePathHook.ts', 'run.ts', 'report.ts'])

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const wanted = args.filter((a) => !a.startsWith('--'))

const available = readdirSync(BENCH_DIR)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.startsWith('_') && !NOT_SUITES.has(name))
  .map((name) => name.slice(0, -'.ts'.length))
  .sort()

const unknown = wanted.filter((w) => !available.includes(w))
if (unknown.length > 0) {
  console.error(`Unknown benchmark suite ${unknown.join(', ')}; expected one of: ${available.join(', ')}`)
  process.exit(2)
}
const suites = wanted.length > 0 ? available.filter((s) => wanted.includes(s)) : available

const failed: string[] = []
for (const suite of suites) {
  console.log(`\n━━ bench/${suite}.ts${quick ? ' --quick' : ''} ━━`)
  const started = Date.now()
  const child = spawnSync(process.execPath, ['--import', 'tsx', join('bench', `${suite}.ts`), ...(quick ? ['--quick'] : [])], {
    stdio: 'inherit'
  })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (child.status !== 0) {
    const why = child.error ? child.error.message : child.signal ? `signal ${child.signal}` : `exit code ${child.status}`
    console.error(`✗ ${suite} failed (${why}) after ${seconds} s`)
    failed.push(suite)
  } else {
    console.log(`✓ ${suite} in ${seconds} s`)
  }
}

const { results, unreadable } = readSuiteResults()
mkdirSync(RESULTS_DIR, { recursive: true })
const reportPath = join(RESULTS_DIR, 'report.md')
writeFileSync(reportPath, renderReport(results, unreadable))
writeFileSync(join(RESULTS_DIR, 'report.html'), renderHtmlReport(results, unreadable))
const missed = results.flatMap((r) => r.rows.filter((row) => row.met === false).map((row) => `${r.suite}: ${row.figure}`))
console.log(`\nReport of ${results.length} suite(s): ${reportPath} and report.html`)
if (missed.length > 0) console.log(`Goals missed:\n  ${missed.join('\n  ')}`)
if (failed.length > 0) {
  console.error(`Suites that failed: ${failed.join(', ')}`)
  process.exit(1)
}
