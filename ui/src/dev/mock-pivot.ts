// DEV ONLY: the 透视表 from the mock's records — the core's rules in small: the dashboard's
// records (approved unless pending are included), a record in every row of its values (or in
// （未填） without one), totals counted on their own (distinct records, or hand-outs for the
// quantity of materials), months chronological, villages in list order, the rest by total.
import type { AppError } from '../bindings/AppError'
import type { Campaign } from '../bindings/Campaign'
import type { Dim } from '../bindings/Dim'
import type { PivotLabel } from '../bindings/PivotLabel'
import type { PivotRequest } from '../bindings/PivotRequest'
import type { PivotTable } from '../bindings/PivotTable'
import type { Unit } from '../bindings/Unit'
import type { ActivityRecord } from '../lib/records'
import zhCN from '../locales/zh-CN.json'
import { fixtures } from './mock-planning'

const DIM_LABEL: Record<Dim, string> = {
  month: '月份',
  campaign: '活动专项',
  node: '普法节点',
  village: '村/单位',
  audience: '宣传对象',
  format: '活动形式',
  law: '法律法规',
  material: '宣传资料',
  unit: '计量单位',
}
const MEASURE_LABEL = { activities: '活动场次', participants: '参加人数', reach: '受众人次', consultations: '咨询人次', quantity: '资料发放数量' }
const UNFILLED = '（未填）'

function fail(code: AppError['code'], message: string, field: string | null = null): never {
  throw { code, message, field } satisfies AppError
}

/** One thing counted: a record, or one hand-out of it. */
interface Counted {
  id: string
  record: ActivityRecord
  value: number
  material: string | null
}

export function mockPivot(records: ActivityRecord[], units: Unit[], campaigns: Campaign[], req: PivotRequest): PivotTable {
  const f = req.filter
  if (!f.from) fail('required', '开始日期不能为空', 'start_date')
  if (!f.to) fail('required', '结束日期不能为空', 'end_date')
  if (f.to < f.from) fail('date_order', `结束日期（${f.to}）早于开始日期（${f.from}）`, 'end_date')
  if (req.cols === req.rows) fail('invalid_value', `行和列不能都按“${DIM_LABEL[req.rows]}”分组，请为列另选一项或不选`, 'cols')
  const village = f.village ? units.find((u) => u.id === f.village || u.name === f.village) : null
  const counted = records.filter(
    (r) =>
      r.date >= f.from &&
      r.date <= f.to &&
      (!village || r.unit_id === village.id) &&
      (!f.campaign_id || r.campaign_ids.includes(f.campaign_id)) &&
      (r.review_status === 'approved' || (f.include_pending && r.review_status === 'pending')),
  )
  const quantity = req.measure === 'quantity'
  const things: Counted[] = quantity
    ? counted.flatMap((r) => r.materials.map((m, i) => ({ id: `${r.id}/${i}`, record: r, value: m.quantity, material: m.material_id })))
    : counted.map((r) => ({ id: r.id, record: r, value: { activities: 1, participants: r.participants, reach: r.reach, consultations: r.consultations, quantity: 0 }[req.measure], material: null }))

  const keysOf = (d: Dim, u: Counted): string[] => {
    const r = u.record
    const many = (v: string[]) => (v.length ? [...new Set(v)] : [''])
    switch (d) {
      case 'month':
        return [r.date.slice(0, 7)]
      case 'village':
        return [r.unit_id ?? '']
      case 'campaign':
        return many(r.campaign_ids)
      case 'node':
        return many(r.nodes)
      case 'audience':
        return many(r.audiences)
      case 'format':
        return many(r.formats)
      case 'law':
        return many(r.laws)
      case 'material':
        return u.material !== null ? [u.material] : many(r.materials.map((m) => m.material_id))
      case 'unit':
        return u.material !== null ? [r.materials.find((m) => m.material_id === u.material)?.unit ?? ''] : many(r.materials.map((m) => m.unit))
    }
  }
  const sum = (dims: Dim[]) => {
    const out = new Map<string, number>()
    for (const u of things) {
      let combos: string[][] = [[]]
      for (const d of dims) combos = combos.flatMap((c) => keysOf(d, u).map((k) => [...c, k]))
      for (const c of combos) {
        const k = c.join('\u0000')
        out.set(k, (out.get(k) ?? 0) + u.value)
      }
    }
    return out
  }

  const nodeNames = new Map<string, string>()
  for (const list of Object.values(fixtures.keydates)) for (const k of list) nodeNames.set(k.code, k.name)
  const materialNames = new Map<string, string>()
  for (const r of counted) for (const m of r.materials) materialNames.set(m.material_id, `${m.material_name}（${m.unit}）`)
  const enums = zhCN.enums as Record<string, Record<string, string>>
  const label = (d: Dim, key: string): string => {
    if (!key) return UNFILLED
    switch (d) {
      case 'month':
        return `${key.slice(0, 4)}年${Number(key.slice(5, 7))}月`
      case 'village':
        return units.find((u) => u.id === key)?.name ?? counted.find((r) => r.unit_id === key)?.unit_name ?? key
      case 'campaign':
        return campaigns.find((c) => c.id === key)?.name ?? key
      case 'node':
        return nodeNames.get(key) ?? key
      case 'audience':
        return enums.audience[key] ?? key
      case 'format':
        return enums.activityFormat[key] ?? key
      case 'material':
        return materialNames.get(key) ?? key
      default:
        return key
    }
  }
  const headings = (d: Dim, totals: Map<string, number>): PivotLabel[] => {
    const keys = new Set(totals.keys())
    if (d === 'month') {
      let [y, m] = [Number(f.from.slice(0, 4)), Number(f.from.slice(5, 7))]
      const end = f.to.slice(0, 7)
      for (let i = 0; i < 60; i++) {
        const k = `${y}-${String(m).padStart(2, '0')}`
        if (k > end) break
        keys.add(k)
        ;[y, m] = m === 12 ? [y + 1, 1] : [y, m + 1]
      }
    }
    if (d === 'village' && !village) for (const u of units) if ((u.kind === 'village' || u.kind === 'community') && !u.archived) keys.add(u.id)
    const order = (k: string) => units.findIndex((u) => u.id === k)
    const list = [...keys].sort((a, b) => {
      if (!a !== !b) return a ? -1 : 1
      if (d === 'month') return a.localeCompare(b)
      if (d === 'village') return order(a) - order(b)
      return (totals.get(b) ?? 0) - (totals.get(a) ?? 0) || label(d, a).localeCompare(label(d, b))
    })
    return list.map((key) => ({ key, label: label(d, key) }))
  }

  const rowTotals = sum([req.rows])
  const rowLabels = headings(req.rows, rowTotals)
  const colTotals = req.cols ? sum([req.cols]) : new Map<string, number>()
  const colLabels = req.cols ? headings(req.cols, colTotals) : []
  const cellMap = req.cols ? sum([req.rows, req.cols]) : new Map<string, number>()
  const unitsHanded = new Set(counted.flatMap((r) => r.materials.map((m) => m.unit)))
  const unit = { activities: '场次', participants: '人', reach: '人次', consultations: '人次', quantity: unitsHanded.size === 1 ? [...unitsHanded][0] : '份' }[req.measure]
  const scope = (village?.name ?? '全镇') + (f.campaign_id ? ` · ${campaigns.find((c) => c.id === f.campaign_id)?.name ?? ''}` : '')
  const by = req.cols ? `按${DIM_LABEL[req.rows]}、${DIM_LABEL[req.cols]}` : `按${DIM_LABEL[req.rows]}`
  const cn = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`
  return {
    from: f.from,
    to: f.to,
    include_pending: f.include_pending,
    rows: req.rows,
    cols: req.cols,
    measure: req.measure,
    title: `${cn(f.from)}至${cn(f.to)}　${scope}　${MEASURE_LABEL[req.measure]}（${unit}），${by}${f.include_pending ? '（已审核通过及待审核的活动记录）' : '（已审核通过的活动记录）'}`,
    basis: f.include_pending ? 'with_pending' : 'approved',
    statuses: {
      approved: counted.filter((r) => r.review_status === 'approved').length,
      pending: counted.filter((r) => r.review_status === 'pending').length,
      returned: 0,
    },
    basis_line: f.include_pending ? '统计口径：已审核通过及待审核的活动记录' : '统计口径：已审核通过的活动记录',
    note: '',
    row_labels: rowLabels,
    col_labels: colLabels,
    cells: rowLabels.map((r) => colLabels.map((c) => cellMap.get(`${r.key}\u0000${c.key}`) ?? 0)),
    row_totals: rowLabels.map((r) => rowTotals.get(r.key) ?? 0),
    col_totals: colLabels.map((c) => colTotals.get(c.key) ?? 0),
    total: things.reduce((t, u) => t + u.value, 0),
    measure_unit: unit,
  }
}
