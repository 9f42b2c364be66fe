/**
 * Shared helpers of the benchmark suites: the result rows every suite writes, a console table,
 * the JSON file `bench/results/<suite>.json`, and the Markdown report that `bench/run.ts` builds
 * from all of them. Not a suite itself (bench/run.ts skips it).
 *
 * Conventions: `ratio` is `value / baseline` (so > 1 means "more than the baseline": better for a
 * rate, worse for a time); the `goal` text says which way is good; `met` is null when a figure is
 * only reported.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus } from 'node:os'
import { join, resolve } from 'node:path'

/** One figure of a suite. */
export interface ResultRow {
  /** What is measured, for people: "schedule ops/s, 100,000 requests over 100 textures". */
  figure: string
  /** Tessera's figure. */
  value: number
  unit: string
  /** The baseline measured in the same run, in the same unit, or null when there is none. */
  baseline: number | null
  /** value / baseline, or null without a baseline. */
  ratio: number | null
  /** The goal, as text: "≥ 1,000,000 ops/s", "< 1 ms", "reported". */
  goal: string
  /** Whether the goal was met; null for a figure that is only reported. */
  met: boolean | null
}

/** The content of `bench/results/<suite>.json`. */
export interface SuiteResult {
  suite: string
  /** ISO 8601, when the suite ended. */
  date: string
  machine: { cpus: number; cpuModel: string; node: string; platform: string }
  /** True when run with --quick (smaller inputs, fewer repetitions). */
  quick?: boolean
  /** Free text for anything the table cannot say (what was extrapolated, what was not measured). */
  notes?: string[]
  rows: ResultRow[]
  /** Charts for report.html (drawn as SVG by `renderHtmlReport`). */
  charts?: Chart[]
  /** Raw per-run figures behind the rows, for whoever digs further; not rendered. */
  details?: unknown
  /**
   * A suite whose figures do not fit one value per row (one line per file kind, several timings
   * each) gives its own table: report.md and report.html show it in place of the rows' table (the
   * rows stay in the JSON and count the goals met).
   */
  table?: Table
}

/** A table of text cells: `headers.length` cells per row. */
export interface Table {
  headers: string[]
  rows: string[][]
}

/** Grouped bars: one group per label of `groups`, one bar per series in each group. */
export interface BarChart {
  kind: 'bars'
  title: string
  unit: string
  groups: string[]
  series: Array<{ name: string; values: number[] }>
}

/** Lines over x (time, usually). */
export interface LineChart {
  kind: 'lines'
  title: string
  unit: string
  xUnit: string
  series: Array<{ name: string; points: Array<[number, number]> }>
}

export type Chart = BarChart | LineChart

export const RESULTS_DIR = resolve('bench/results')

/** Rounds to `digits` significant digits (what the tables show; the JSON keeps the same). */
export function round(n: number, digits = 3): number {
  return Number.isFinite(n) && n !== 0 ? Number(n.toPrecision(digits)) : n
}

/** value / baseline rounded, or null when there is no usable baseline. */
export function ratioOf(value: number, baseline: number | null): number | null {
  return baseline === null || baseline === 0 || !Number.isFinite(baseline) ? null : round(value / baseline)
}

/** The machine the figures come from. */
export function machine(): SuiteResult['machine'] {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`
  }
}

/** True when the suite was asked for its quick variant (`--quick`). */
export function isQuick(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--quick')
}

function checkRow(row: ResultRow, index: number): void {
  const where = `row ${index} (${JSON.stringify(row.figure)})`
  if (typeof row.figure !== 'string' || row.figure === '') throw new TypeError(`Expected non-empty string for figure of ${where}`)
  if (typeof row.value !== 'number' || Number.isNaN(row.value)) {
    throw new TypeError(`Expected number for value of ${where} but received ${String(row.value)} of type ${typeof row.value}`)
  }
  for (const name of ['baseline', 'ratio'] as const) {
    const v = row[name]
    if (v !== null && (typeof v !== 'number' || Number.isNaN(v))) {
      throw new TypeError(`Expected number or null for ${name} of ${where} but received ${String(v)} of type ${typeof v}`)
    }
  }
  if (row.met !== null && typeof row.met !== 'boolean') throw new TypeError(`Expected boolean or null for met of ${where}`)
}

/**
 * Writes `bench/results/<suite>.json` (creating the folder) and returns its path.
 * Throws, naming the row, if a row is malformed (a NaN value, a missing figure).
 */
export function writeSuiteResult(
  suite: string,
  rows: ResultRow[],
  extra: { quick?: boolean; notes?: string[]; charts?: Chart[]; details?: unknown; table?: Table } = {}
): string {
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(suite)) throw new TypeError(`Expected a suite name of letters, digits and dashes but received ${JSON.stringify(suite)}`)
  rows.forEach(checkRow)
  if (extra.table?.rows.some((row) => row.length !== extra.table!.headers.length)) {
    throw new TypeError(`Expected ${extra.table.headers.length} cells in every row of the table of suite ${suite}`)
  }
  const result: SuiteResult = {
    suite,
    date: new Date().toISOString(),
    machine: machine(),
    quick: extra.quick ?? isQuick(),
    ...(extra.notes?.length ? { notes: extra.notes } : {}),
    rows,
    ...(extra.charts?.length ? { charts: extra.charts } : {}),
    ...(extra.details === undefined ? {} : { details: extra.details }),
    ...(extra.table ? { table: extra.table } : {})
  }
  mkdirSync(RESULTS_DIR, { recursive: true })
  const path = join(RESULTS_DIR, `${suite}.json`)
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`)
  return path
}

/** Reads every `bench/results/<suite>.json`, sorted by suite name; skips (and names) unreadable files. */
export function readSuiteResults(dir = RESULTS_DIR): { results: SuiteResult[]; unreadable: string[] } {
  const results: SuiteResult[] = []
  const unreadable: string[] = []
  let names: string[] = []
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort()
  } catch {
    return { results, unreadable }
  }
  for (const name of names) {
    try {
      const parsed = JSON.parse(readFileSync(join(dir, name), 'utf8')) as SuiteResult
      if (typeof parsed.suite !== 'string' || !Array.isArray(parsed.rows)) throw new Error('not a suite result')
      results.push(parsed)
    } catch (error) {
      unreadable.push(`${name}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return { results, unreadable }
}

/** A number for people: thousands separated, at most 3 significant digits below 1,000. */
export function formatNumber(n: number | null): string {
  if (n === null) return '—'
  if (!Number.isFinite(n)) return String(n)
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US')
  return String(round(n))
}

function metText(met: boolean | null): string {
  return met === null ? '—' : met ? 'yes' : 'NO'
}

function cells(row: ResultRow): string[] {
  return [
    row.figure,
    `${formatNumber(row.value)} ${row.unit}`,
    row.baseline === null ? '—' : `${formatNumber(row.baseline)} ${row.unit}`,
    row.ratio === null ? '—' : `${formatNumber(row.ratio)}×`,
    row.goal,
    metText(row.met)
  ]
}

const HEADERS = ['figure', 'Tessera', 'baseline', 'ratio', 'goal', 'met']

/** Prints the rows as an aligned text table on stdout. */
export function printTable(rows: readonly ResultRow[]): void {
  printCells(HEADERS, rows.map(cells), (c) => c === 0 || c === 4)
}

/** Prints a free-form table on stdout, aligned; `leftAligned(c)` says which columns are text (default: the first). */
export function printCells(headers: readonly string[], rows: readonly string[][], leftAligned: (column: number) => boolean = (c) => c === 0): void {
  const table = [headers, ...rows]
  const widths = headers.map((_, c) => Math.max(...table.map((r) => [...(r[c] ?? '')].length)))
  const line = (r: readonly string[]): string => r.map((cell, c) => (leftAligned(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' │ ')
  console.log(line(headers))
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'))
  for (const r of rows) console.log(line(r))
}

const escapeCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** The Markdown report of several suites: one section and one table per suite. */
export function renderReport(results: readonly SuiteResult[], unreadable: readonly string[] = []): string {
  const out: string[] = ['# Tessera benchmarks', '']
  out.push('Generated by `npm run bench`. Ratio is Tessera ÷ baseline; the goal says which way is good.', '')
  for (const r of results) {
    const m = r.machine as Partial<SuiteResult['machine']> | undefined
    const where = m ? `${m.cpus ?? '?'} CPUs${m.cpuModel ? ` (${m.cpuModel})` : ''}, Node ${m.node ?? '?'}` : 'machine not recorded'
    const met = r.rows.filter((row) => row.met === true).length
    const goals = r.rows.filter((row) => row.met !== null).length
    out.push(`## ${r.suite}`, '')
    out.push(`${r.date}${r.quick ? ' (quick)' : ''} — ${where} — goals met: ${met} of ${goals}`, '')
    if (r.table) {
      out.push(`| ${r.table.headers.map(escapeCell).join(' | ')} |`, `| ${r.table.headers.map(() => '---').join(' | ')} |`)
      for (const row of r.table.rows) out.push(`| ${row.map(escapeCell).join(' | ')} |`)
    } else {
      out.push(`| ${HEADERS.join(' | ')} |`, '| --- | ---: | ---: | ---: | --- | --- |')
      for (const row of r.rows) out.push(`| ${cells(row).map(escapeCell).join(' | ')} |`)
    }
    for (const note of r.notes ?? []) out.push('', `- ${note}`)
    out.push('')
  }
  if (unreadable.length > 0) {
    out.push('## Unreadable result files', '')
    for (const u of unreadable) out.push(`- ${u}`)
    out.push('')
  }
  return out.join('\n')
}
