/**
 * `bench/results/report.html`: every suite's table (as report.md) and its charts drawn as inline
 * SVG, in one self-contained file (no script, no external resource). Not a suite (bench/run.ts
 * skips it).
 */
import { formatNumber, type BarChart, type Chart, type LineChart, type ResultRow, type SuiteResult, type Table } from './report'

const COLOURS = ['#1a73e8', '#e8710a', '#188038', '#a142f4', '#d93025', '#12b5cb']
const W = 720
const H = 300
const PAD = { left: 64, right: 16, top: 28, bottom: 56 }

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Round axis steps: 1, 2 or 5 × 10^k, about `count` of them up to `max`. */
function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1]
  const raw = max / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!
  return Array.from({ length: Math.ceil(max / step) + 1 }, (_, i) => round6(i * step))
}
const round6 = (n: number): number => Number(n.toPrecision(6))

function frame(title: string, yTicks: number[], unit: string, inner: string, legend: string[]): string {
  const top = yTicks[yTicks.length - 1]!
  const y = (v: number): number => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / top)
  const grid = yTicks
    .map((t) => `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/><text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end">${esc(formatNumber(t))}</text>`)
    .join('')
  const keys = legend
    .map((name, i) => `<rect x="${PAD.left + i * 170}" y="${H - 16}" width="10" height="10" fill="${COLOURS[i % COLOURS.length]}"/><text x="${PAD.left + i * 170 + 14}" y="${H - 7}">${esc(name)}</text>`)
    .join('')
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="11"><text x="${PAD.left}" y="16" font-size="13" font-weight="bold">${esc(title)} (${esc(unit)})</text>${grid}${inner}${keys}</svg></figure>`
}

function bars(chart: BarChart): string {
  const max = Math.max(0, ...chart.series.flatMap((s) => s.values.filter(Number.isFinite)))
  const yTicks = ticks(max)
  const top = yTicks[yTicks.length - 1]!
  const plotH = H - PAD.top - PAD.bottom
  const groupW = (W - PAD.left - PAD.right) / Math.max(1, chart.groups.length)
  const barW = (groupW * 0.8) / Math.max(1, chart.series.length)
  let inner = ''
  chart.groups.forEach((group, g) => {
    const x0 = PAD.left + g * groupW + groupW * 0.1
    chart.series.forEach((series, i) => {
      const v = series.values[g] ?? 0
      const h = (plotH * Math.max(0, v)) / top
      const x = x0 + i * barW
      inner += `<rect x="${x}" y="${PAD.top + plotH - h}" width="${barW - 2}" height="${h}" fill="${COLOURS[i % COLOURS.length]}"><title>${esc(`${series.name}, ${group}: ${formatNumber(v)} ${chart.unit}`)}</title></rect>`
      inner += `<text x="${x + barW / 2 - 1}" y="${PAD.top + plotH - h - 3}" text-anchor="middle" font-size="9">${esc(formatNumber(v))}</text>`
    })
    inner += `<text x="${x0 + (barW * chart.series.length) / 2}" y="${H - PAD.bottom + 16}" text-anchor="middle">${esc(group)}</text>`
  })
  return frame(chart.title, yTicks, chart.unit, inner, chart.series.map((s) => s.name))
}

function lines(chart: LineChart): string {
  const xs = chart.series.flatMap((s) => s.points.map((p) => p[0]))
  const maxX = Math.max(1, ...xs)
  const yTicks = ticks(Math.max(0, ...chart.series.flatMap((s) => s.points.map((p) => p[1]))))
  const top = yTicks[yTicks.length - 1]!
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const px = (x: number): number => PAD.left + (plotW * x) / maxX
  const py = (y: number): number => PAD.top + plotH * (1 - y / top)
  let inner = chart.series
    .map((s, i) => `<polyline fill="none" stroke-width="1.5" stroke="${COLOURS[i % COLOURS.length]}" points="${s.points.map((p) => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(' ')}"><title>${esc(s.name)}</title></polyline>`)
    .join('')
  inner += ticks(maxX, 6)
    .filter((t) => t <= maxX)
    .map((t) => `<text x="${px(t)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${esc(formatNumber(t))} ${esc(chart.xUnit)}</text>`)
    .join('')
  return frame(chart.title, yTicks, chart.unit, inner, chart.series.map((s) => s.name))
}

/** One chart as an inline SVG figure. */
export function renderChart(chart: Chart): string {
  return chart.kind === 'bars' ? bars(chart) : lines(chart)
}

function tableHtml(rows: readonly ResultRow[]): string {
  const cell = (row: ResultRow): string[] => [
    row.figure,
    `${formatNumber(row.value)} ${row.unit}`,
    row.baseline === null ? '—' : `${formatNumber(row.baseline)} ${row.unit}`,
    row.ratio === null ? '—' : `${formatNumber(row.ratio)}×`,
    row.goal,
    row.met === null ? '—' : row.met ? 'yes' : 'NO'
  ]
  const body = rows
    .map((row) => `<tr class="${row.met === false ? 'missed' : row.met ? 'met' : ''}">${cell(row).map((c, i) => `<td${i > 0 && i < 4 ? ' class="n"' : ''}>${esc(c)}</td>`).join('')}</tr>`)
    .join('\n')
  return `<table><thead><tr><th>figure</th><th>Tessera</th><th>baseline</th><th>ratio</th><th>goal</th><th>met</th></tr></thead><tbody>\n${body}\n</tbody></table>`
}

/** A suite's own table (SuiteResult.table), text cells as given. */
function cellsHtml(table: Table): string {
  const head = table.headers.map((h) => `<th>${esc(h)}</th>`).join('')
  const body = table.rows.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n')
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`
}

/** The whole HTML report of several suites. */
export function renderHtmlReport(results: readonly SuiteResult[], unreadable: readonly string[] = []): string {
  const sections = results.map((r) => {
    const met = r.rows.filter((row) => row.met === true).length
    const goals = r.rows.filter((row) => row.met !== null).length
    const m = r.machine as Partial<SuiteResult['machine']> | undefined
    const where = m ? `${m.cpus ?? '?'} CPUs${m.cpuModel ? ` (${m.cpuModel})` : ''}, Node ${m.node ?? '?'}` : 'machine not recorded'
    const notes = (r.notes ?? []).map((n) => `<li>${esc(n)}</li>`).join('')
    return `<section><h2>${esc(r.suite)}</h2><p>${esc(r.date)}${r.quick ? ' (quick)' : ''} — ${esc(where)} — goals met: ${met} of ${goals}</p>${r.table ? cellsHtml(r.table) : tableHtml(r.rows)}${(r.charts ?? []).map(renderChart).join('')}${notes ? `<ul>${notes}</ul>` : ''}</section>`
  })
  const bad = unreadable.length ? `<section><h2>Unreadable result files</h2><ul>${unreadable.map((u) => `<li>${esc(u)}</li>`).join('')}</ul></section>` : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tessera benchmarks</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}td.n{text-align:right;white-space:nowrap}tr.missed td:last-child{color:#c5221f;font-weight:bold}tr.met td:last-child{color:#188038}figure{margin:1em 0}li{font-size:13px}</style>
</head><body><h1>Tessera benchmarks</h1><p>Generated by <code>npm run bench</code>. Ratio is Tessera ÷ baseline; the goal says which way is good.</p>
${sections.join('\n')}${bad}
</body></html>
`
}
