// 统计 dashboard: what the charts and tables show of a Summary, and where a click on a number
// leads (the 台账 with the same filter). Pure functions, so they are tested without a canvas.
import { stockUnitName } from './catalogue-text'
import type { Breakdown } from '../bindings/Breakdown'
import type { Summary } from '../bindings/Summary'

export type Measure = 'activities' | 'participants' | 'reach'
export type BreakdownKind = 'campaign' | 'node' | 'village' | 'audience' | 'format' | 'law'
export const BREAKDOWN_KINDS: readonly BreakdownKind[] = ['campaign', 'node', 'village', 'audience', 'format', 'law']

export function rowsOf(s: Summary, kind: BreakdownKind): Breakdown[] {
  return {
    campaign: s.by_campaign,
    node: s.by_node,
    village: s.by_village,
    audience: s.by_audience,
    format: s.by_format,
    law: s.by_law,
  }[kind]
}

/** Every month of the period, the empty ones as zero (a trend line must not skip a month). */
export function monthsOf(s: Summary, monthLabel: (ym: string) => string): Breakdown[] {
  const have = new Map(s.by_month.map((b) => [b.key, b]))
  const out: Breakdown[] = []
  let [y, m] = [Number(s.from.slice(0, 4)), Number(s.from.slice(5, 7))]
  const [ey, em] = [Number(s.to.slice(0, 4)), Number(s.to.slice(5, 7))]
  // A period spans at most a few decades; the guard keeps a bad date from looping forever.
  for (let i = 0; (y < ey || (y === ey && m <= em)) && i < 1200; i++) {
    const key = `${y}-${String(m).padStart(2, '0')}`
    out.push(have.get(key) ?? { key, label: monthLabel(key), activities: 0, participants: 0, reach: 0 })
    if (++m > 12) [y, m] = [y + 1, 1]
  }
  return out
}

/** The sums of a breakdown's rows. */
export function totalOf(rows: readonly Breakdown[]): Pick<Breakdown, Measure> {
  return rows.reduce((t, r) => ({ activities: t.activities + r.activities, participants: t.participants + r.participants, reach: t.reach + r.reach }), {
    activities: 0,
    participants: 0,
    reach: 0,
  })
}

/** Breakdowns where one record can be in several rows (two laws, three audiences, two campaigns). */
export function multiValued(kind: BreakdownKind | 'month'): boolean {
  return kind !== 'month' && kind !== 'village'
}

/**
 * The 合计 under a breakdown's table: the rows' sum where each record is in one row (months,
 * villages), else the summary's distinct totals under "合计（去重）" — never the sum of rows that
 * count one activity several times.
 */
export function footerOf(s: Summary, kind: BreakdownKind | 'month', rows: readonly Breakdown[]): { label: string; total: Pick<Breakdown, Measure> } {
  if (multiValued(kind)) {
    return { label: 'basis.distinctTotal', total: { activities: s.activities, participants: s.participants, reach: s.reach } }
  }
  return { label: 'ledger.total', total: totalOf(rows) }
}

/** Plan completion in whole percent, null when nothing was planned. */
export function completion(s: Pick<Summary, 'planned' | 'planned_held'>): number | null {
  return s.planned > 0 ? Math.round((s.planned_held / s.planned) * 100) : null
}


const PALETTE = ['#b91c1c', '#1d4ed8', '#d97706', '#047857', '#7c3aed', '#0e7490', '#be185d', '#4d7c0f', '#9a3412', '#475569']

/** A horizontal bar chart of one breakdown (the longest first; at most `limit` bars). */
export function barOption(rows: readonly Breakdown[], measure: Measure, measureName: string, limit = 15) {
  const shown = [...rows].sort((a, b) => b[measure] - a[measure]).slice(0, limit).reverse()
  return {
    color: PALETTE,
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: shown.map((r) => r.label), axisLabel: { width: 140, overflow: 'truncate' } },
    series: [
      {
        name: measureName,
        type: 'bar',
        data: shown.map((r) => ({ value: r[measure], key: r.key })),
        label: { show: true, position: 'right' },
        barMaxWidth: 22,
      },
    ],
  }
}

/** Month by month: 场次 as bars, 受众人次 as a line on a second axis. */
export function trendOption(months: readonly Breakdown[], names: { activities: string; reach: string }) {
  return {
    color: ['#b91c1c', '#1d4ed8'],
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: months.map((m) => m.label) },
    yAxis: [
      { type: 'value', name: names.activities, minInterval: 1 },
      { type: 'value', name: names.reach, minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      { name: names.activities, type: 'bar', data: months.map((m) => ({ value: m.activities, key: m.key })), barMaxWidth: 28 },
      { name: names.reach, type: 'line', yAxisIndex: 1, smooth: true, data: months.map((m) => ({ value: m.reach, key: m.key })) },
    ],
  }
}

/** A pie of one breakdown (audiences): shares of 场次. */
export function pieOption(rows: readonly Breakdown[], measure: Measure, measureName: string) {
  return {
    color: PALETTE,
    tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
    legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle' },
    series: [
      {
        name: measureName,
        type: 'pie',
        radius: ['38%', '70%'],
        center: ['38%', '50%'],
        data: rows.map((r) => ({ name: r.label, value: r[measure], key: r.key })),
        label: { formatter: '{b}\n{c}' },
      },
    ],
  }
}

export interface DashboardFilter {
  from: string
  to: string
  village: string | null
  campaign_id: string | null
  include_pending: boolean
}

/**
 * The 台账 query behind a number: the dashboard's filter, narrowed to a month or a village or a
 * campaign when the click was on one. (Audience, format, law and node are not 台账 filters: the
 * ledger shows the period's records and the user narrows by search.)
 */
export function ledgerQuery(f: DashboardFilter, kind: BreakdownKind | 'month' | null, key: string | null): Record<string, string> {
  const q: Record<string, string> = { from: f.from, to: f.to }
  if (f.village) q.unit_id = f.village
  if (f.campaign_id) q.campaign_id = f.campaign_id
  q.review_status = f.include_pending ? 'with_pending' : 'approved'
  if (kind === 'month' && key) {
    const [y, m] = key.split('-').map(Number)
    const last = new Date(y, m, 0).getDate()
    const from = `${key}-01`
    const to = `${key}-${String(last).padStart(2, '0')}`
    q.from = from > f.from ? from : f.from
    q.to = to < f.to ? to : f.to
  } else if (kind === 'village' && key) q.unit_id = key
  else if (kind === 'campaign' && key) q.campaign_id = key
  else if ((kind === 'law' || kind === 'audience' || kind === 'format' || kind === 'node') && key) q.search = kind === 'law' ? key : ''
  if (q.search === '') delete q.search
  return q
}

/**
 * The headline in English (the core writes the Chinese sentence of the 法治政府建设情况报告;
 * other languages are the UI's words over the same numbers). Material units are the
 * catalogue's own words and stay as entered.
 */
export function englishHeadline(s: Pick<Summary, 'from' | 'to' | 'activities' | 'reach' | 'material_units'>): string {
  const wholeYear = s.from.slice(4) === '-01-01' && s.to.slice(4) === '-12-31' && s.from.slice(0, 4) === s.to.slice(0, 4)
  const n = (x: number) => x.toLocaleString('en')
  let text = `${wholeYear ? `In ${s.from.slice(0, 4)}` : `From ${s.from} to ${s.to}`}: ${n(s.activities)} ${
    s.activities === 1 ? 'activity' : 'activities'
  } held, reaching ${n(s.reach)} people`
  const handed = s.material_units.filter((u) => u.quantity > 0).map((u) => `${n(u.quantity)} ${stockUnitName(u.unit, 'en', u.quantity)}`)
  if (handed.length) text += `; materials handed out: ${handed.join(', ')}`
  return text
}

