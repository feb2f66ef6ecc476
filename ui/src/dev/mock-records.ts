// DEV ONLY: the record-keeping part of the in-memory backend (materials, stock, records,
// review, attachments, drafts, audit trail). A simplified imitation of the core's rules, good
// enough to click through the screens; kept in its own localStorage key. With a town loaded it
// seeds a catalogue, some stock and a few records of every review status.
import type { Activity } from '../bindings/Activity'
import type { AppError } from '../bindings/AppError'
import type { AuditEntry } from '../bindings/AuditEntry'
import type { Campaign } from '../bindings/Campaign'
import type { RecordInput } from '../bindings/RecordInput'
import type { Request } from '../bindings/Request'
import type { Town } from '../bindings/Town'
import type { Unit } from '../bindings/Unit'
import type { UserProfile } from '../bindings/UserProfile'
import type { Attachment } from '../bindings/Attachment'
import type { Material } from '../bindings/Material'
import type { Movement } from '../bindings/Movement'
import { recordTotals, type ActivityRecord } from '../lib/records'
import type { Breakdown } from '../bindings/Breakdown'
import type { Summary } from '../bindings/Summary'
import { addDays, parseIso, todayIso } from '../lib/dates'
import { STOCK_UNITS } from '../lib/enums'
import { fixtures } from './mock-planning'

export interface RecordsContext {
  town: Town | null
  user: UserProfile | null
  units: Unit[]
  campaigns: Campaign[]
  activities: Activity[]
}

type Mat = Omit<Material, 'balance'>
type Move = Movement & { from_store_id: string | null; to_store_id: string | null }
interface Store {
  id: string
  name: string
  unit_id: string | null
}
interface State {
  seeded: boolean
  materials: Mat[]
  stores: Store[]
  movements: Move[]
  records: ActivityRecord[]
  attachments: Attachment[]
  drafts: Record<string, { body: unknown; updated_at: string }>
  audit: AuditEntry[]
}

const KEY = 'pufa-dev-mock-records'
const empty = (): State => ({
  seeded: false,
  materials: [],
  stores: [],
  movements: [],
  records: [],
  attachments: [],
  drafts: {},
  audit: [],
})
let st: State = load()
function load(): State {
  try {
    const raw = localStorage.getItem(KEY)
    if (raw) return { ...empty(), ...(JSON.parse(raw) as State) }
  } catch {
    /* fresh */
  }
  return empty()
}
const persist = () => localStorage.setItem(KEY, JSON.stringify(st))

export function resetRecords(): void {
  localStorage.removeItem(KEY)
  st = empty()
}

/** Returned for requests this module does not handle. */
export const NOT_MINE = Symbol('not mine')

function fail(code: AppError['code'], message: string, field: string | null = null): never {
  throw { code, message, field } satisfies AppError
}

let n = 0
const newId = () => `dev-r${Date.now().toString(36)}-${(++n).toString(36)}${Math.random().toString(36).slice(2, 6)}`
const now = () => new Date().toISOString()

const LABEL: Record<string, string> = {
  participants: '参加人数',
  reach: '受众人次',
  consultations: '咨询人次',
  banners: '横幅',
  boards: '展板',
  vehicles: '宣传车',
  online_posts: '网络推送',
  online_views: '浏览量',
  disputes: '调解纠纷',
  legal_aid_cases: '法律援助',
  volunteers: '志愿者人次',
  materials: '资料',
  quantity: '数量',
  quiz: '有奖问答',
}

// ---- audit ----

function diff(before: unknown, after: unknown): Record<string, [unknown, unknown]> {
  const b = (before ?? {}) as Record<string, unknown>
  const a = (after ?? {}) as Record<string, unknown>
  const out: Record<string, [unknown, unknown]> = {}
  for (const k of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
    if (k === 'updated_at' || k === 'created_at') continue
    const x = b[k] ?? null
    const y = a[k] ?? null
    if (JSON.stringify(x) !== JSON.stringify(y)) out[k] = [x, y]
  }
  return out
}

const ACTION: Record<string, string> = {
  create: '新建',
  update: '修改',
  delete: '删除',
  archive: '归档',
  unarchive: '恢复',
  approve: '审核通过',
  return: '退回',
  submit: '提交',
  reopen: '重新打开',
}
const ENTITY: Record<string, string> = { record: '活动记录', material: '宣传资料', stock: '库存' }

function log(ctx: RecordsContext, entity: string, id: string, action: string, before: unknown, after: unknown, summary?: string, at?: string) {
  const body = (after ?? before ?? {}) as { title?: string; name?: string }
  const name = body.title ?? body.name ?? ''
  st.audit.unshift({
    id: newId(),
    at: at ?? now(),
    user_name: ctx.user?.name ?? '本机',
    entity,
    entity_id: id,
    action,
    summary: summary ?? `${ACTION[action] ?? '更改'}${ENTITY[entity] ?? '记录'}${name ? `“${name}”` : ''}`,
    changes: diff(before, after),
  })
}

// ---- materials and stock ----

function material(id: string): Material {
  const m = st.materials.find((x) => x.id === id)
  if (!m) fail('not_found', `找不到宣传资料（${id}），可能已被删除`)
  return withBalance(m)
}

function withBalance(m: Mat): Material {
  const balance = st.movements
    .filter((x) => x.material_id === m.id)
    .reduce((s, x) => s + (x.kind === 'receipt' ? x.quantity : x.kind === 'handout' ? -x.quantity : 0), 0)
  return { ...m, balance }
}

function resolveMaterial(v: string, field: string): Mat {
  const m = st.materials.find((x) => x.id === v.trim() || x.name === v.trim())
  if (!m) fail('not_found', `资料目录中没有“${v}”，请先在“宣传资料”中添加`, field)
  return m
}

function checkUnitName(field: string, u: string): string {
  const unit = u.trim()
  if (!unit) fail('required', '请填写计量单位（份、册、本……）', field)
  if (!(STOCK_UNITS as readonly string[]).includes(unit)) fail('invalid_value', `计量单位“${unit}”无效，可选：${STOCK_UNITS.join('、')}`, field)
  return unit
}

function checkMaterial(input: { name: string; category: string | null; unit: string; low_stock: number | null }, except?: string) {
  const name = (input.name ?? '').trim()
  if (!name) fail('required', '名称不能为空', 'name')
  if (st.materials.some((m) => m.name === name && m.id !== except)) fail('duplicate', `资料目录中已有“${name}”`, 'name')
  const low = input.low_stock ?? 0
  if (low < 0 || low > 1_000_000 || !Number.isInteger(low)) fail('invalid_value', '预警数量应为 0—1000000', 'low_stock')
  return { name, category: (input.category ?? '').trim(), unit: checkUnitName('unit', input.unit), low_stock: low }
}

function unitOf(ctx: RecordsContext, v: string, field: string): Unit {
  const u = ctx.units.find((x) => x.id === v || x.name === v)
  if (!u) fail('not_found', `找不到村/单位“${v}”`, field)
  return u
}

function storeFor(ctx: RecordsContext, unitId: string | null): Store {
  let s = st.stores.find((x) => x.unit_id === unitId)
  if (!s) {
    const name = unitId ? `${unitOf(ctx, unitId, 'unit_id').name}资料点` : '镇普法资料库'
    s = { id: newId(), name, unit_id: unitId }
    st.stores.push(s)
  }
  return s
}

function storeBalance(materialId: string, storeId: string): number {
  return st.movements
    .filter((x) => x.material_id === materialId)
    .reduce((s, x) => s + (x.to_store_id === storeId ? x.quantity : 0) - (x.from_store_id === storeId ? x.quantity : 0), 0)
}

function qty(q: number, field = 'quantity'): number {
  if (!Number.isInteger(q) || q <= 0) fail('invalid_value', `数量 ${q} 无效，应大于0`, field)
  if (q > 1_000_000) fail('invalid_value', `数量 ${q} 过大`, field)
  return q
}

function move(
  ctx: RecordsContext,
  m: Mat,
  kind: Move['kind'],
  quantity: number,
  from: Store | null,
  to: Store | null,
  date: string,
  extra: { source?: string; note?: string; record_id?: string | null; confirm?: boolean; field?: string; at?: string },
): Move {
  let below = false
  if (from) {
    const left = storeBalance(m.id, from.id)
    if (left - quantity < 0) {
      if (!extra.confirm)
        fail(
          'stock_negative',
          `“${m.name}”在${from.name}只剩 ${left} ${m.unit}，发出 ${quantity} ${m.unit} 后将为负数；如确已发放，请确认后保存，台账会标记为超发`,
          extra.field ?? 'quantity',
        )
      below = true
    }
  }
  const mv: Move = {
    id: newId(),
    material_id: m.id,
    material_name: m.name,
    unit: m.unit,
    kind,
    quantity,
    from_store: from?.name ?? null,
    to_store: to?.name ?? null,
    from_store_id: from?.id ?? null,
    to_store_id: to?.id ?? null,
    date,
    source: extra.source ?? '',
    record_id: extra.record_id ?? null,
    below_zero: below,
    note: extra.note ?? '',
    created_at: extra.at ?? now(),
  }
  st.movements.push(mv)
  const verb = kind === 'receipt' ? '入库' : kind === 'handout' ? '发放' : '调拨'
  log(ctx, 'stock', mv.id, 'create', null, publicMove(mv), `${verb}“${m.name}”${quantity} ${m.unit}${below ? '（超发）' : ''}`, extra.at)
  return mv
}

function publicMove(m: Move): Movement {
  const { from_store_id: _f, to_store_id: _t, ...rest } = m
  void _f
  void _t
  return rest
}

function report() {
  const balances: { material_id: string; material_name: string; unit: string; store_id: string; store_name: string; balance: number }[] = []
  for (const m of st.materials) {
    for (const s of st.stores) {
      const touched = st.movements.some((x) => x.material_id === m.id && (x.from_store_id === s.id || x.to_store_id === s.id))
      if (touched) balances.push({ material_id: m.id, material_name: m.name, unit: m.unit, store_id: s.id, store_name: s.name, balance: storeBalance(m.id, s.id) })
    }
  }
  const materials = st.materials.filter((m) => !m.archived).map(withBalance)
  return { balances, materials, low: materials.filter((m) => m.low_stock > 0 && m.balance <= m.low_stock).map((m) => m.name) }
}

// ---- records ----

function count(field: string, v: number | null | undefined): number {
  const x = v ?? 0
  if (!Number.isFinite(x) || !Number.isInteger(x)) fail('invalid_value', `${LABEL[field] ?? field}应为整数（填写了 ${x}）`, field)
  if (x < 0) fail('invalid_value', `${LABEL[field] ?? field}不能为负数`, field)
  if (x > 1_000_000) fail('invalid_value', `${LABEL[field] ?? field} ${x} 过大，请核对（最多 1000000）`, field)
  return x
}

function isCoordinator(ctx: RecordsContext): boolean {
  return ctx.user?.role === 'coordinator'
}

function checkRecord(ctx: RecordsContext, input: RecordInput, today = todayIso()) {
  const title = (input.title ?? '').trim()
  if (!title) fail('required', '活动名称不能为空', 'title')
  if (!input.date) fail('required', '日期不能为空', 'date')
  if (!parseIso(input.date)) fail('invalid_date', `日期“${input.date}”不是有效日期`, 'date')
  if (input.date > today) fail('invalid_date', `活动日期 ${input.date} 在今天之后；已开展的活动请填写实际日期`, 'date')
  if (!input.unit_id) fail('required', '请选择活动所在的村/单位', 'unit_id')
  const unit = unitOf(ctx, input.unit_id, 'unit_id')
  if (!input.formats.length) fail('required', '请选择活动形式', 'formats')
  const recorder = (input.recorder ?? '').trim()
  if (!recorder) fail('required', '记录人不能为空', 'recorder')
  const participants = count('participants', input.participants)
  const reach = Math.max(count('reach', input.reach), participants)
  const narrative = (input.narrative ?? '').trim()
  if (Array.from(narrative).length > 300) fail('too_long', `活动简述有 ${Array.from(narrative).length} 字，最多 300 字`, 'narrative')
  const byAudience: Record<string, number> = {}
  for (const [k, v] of Object.entries(input.reach_by_audience ?? {})) byAudience[k] = count('reach_by_audience', v)
  const bySum = Object.values(byAudience).reduce((a, b) => a + b, 0)
  if (bySum > reach) fail('invalid_value', `分对象人次合计 ${bySum} 超过受众总人次 ${reach}`, 'reach_by_audience')
  const lines: { m: Mat; q: number }[] = []
  for (const line of input.materials) {
    const m = resolveMaterial(line.material_id ?? line.material_name ?? '', 'materials')
    const unitName = (line.unit ?? '').trim()
    if (!unitName) fail('required', `“${m.name}”的数量没有填写单位（${m.unit}）`, 'materials')
    if (unitName !== m.unit) fail('invalid_value', `“${m.name}”以“${m.unit}”计，不是“${unitName}”`, 'materials')
    const q = count('materials', line.quantity)
    if (q === 0) fail('invalid_value', `“${m.name}”的发放数量应大于0`, 'materials')
    const have = lines.find((l) => l.m.id === m.id)
    if (have) have.q += q
    else lines.push({ m, q })
  }
  const quiz = input.quiz ? { questions: Number(input.quiz.questions), participants: Number(input.quiz.participants), winners: Number(input.quiz.winners) } : null
  if (quiz && quiz.winners > quiz.participants) fail('invalid_value', '获奖人数多于答题人数', 'quiz')
  if (input.start_time && input.end_time && input.end_time < input.start_time) fail('date_order', '结束时间不能早于开始时间', 'end_time')
  return {
    fields: {
      activity_id: input.activity_id ?? null,
      title,
      date: input.date,
      start_time: input.start_time ?? null,
      end_time: input.end_time ?? null,
      unit_id: unit.id,
      unit_name: unit.name,
      venue_type: (input.venue_type ?? null) as ActivityRecord['venue_type'],
      venue: (input.venue ?? '').trim(),
      formats: input.formats as ActivityRecord['formats'],
      audiences: input.audiences as ActivityRecord['audiences'],
      laws: input.laws,
      campaign_ids: [...input.campaign_ids].sort(),
      nodes: input.nodes,
      speakers: input.speakers,
      partners: input.partners,
      participants,
      reach,
      reach_by_audience: byAudience,
      consultations: count('consultations', input.consultations),
      banners: count('banners', input.banners),
      boards: count('boards', input.boards),
      vehicles: count('vehicles', input.vehicles),
      online_posts: count('online_posts', input.online_posts),
      online_views: count('online_views', input.online_views),
      disputes: count('disputes', input.disputes),
      legal_aid_cases: count('legal_aid_cases', input.legal_aid_cases),
      volunteers: count('volunteers', input.volunteers),
      narrative,
      quiz,
      recorder,
    },
    lines,
  }
}

function checkDeadline(ctx: RecordsContext, ids: string[], today = todayIso()) {
  for (const id of ids) {
    const c = ctx.campaigns.find((x) => x.id === id)
    if (c?.report_deadline && today > c.report_deadline)
      fail('locked', `“${c.name}”的报送截止日期（${c.report_deadline}）已过，记录已锁定；如需补报请联系协调员`, 'campaign_ids')
  }
}

function getRecord(id: string): ActivityRecord {
  const r = st.records.find((x) => x.id === id)
  if (!r) fail('not_found', `找不到活动记录（${id}），可能已被删除`)
  return withMaterials(r)
}

function withMaterials(r: ActivityRecord): ActivityRecord {
  const materials = st.movements
    .filter((m) => m.record_id === r.id && m.kind === 'handout')
    .map((m) => ({ material_id: m.material_id, material_name: m.material_name, quantity: m.quantity, unit: m.unit }))
  return { ...r, materials }
}

function writeHandouts(ctx: RecordsContext, r: ActivityRecord, lines: { m: Mat; q: number }[], confirm: boolean, at?: string) {
  const keep = st.movements
  st.movements = st.movements.filter((m) => m.record_id !== r.id)
  const village = st.stores.find((s) => s.unit_id === r.unit_id)
  const store = village ?? storeFor(ctx, null)
  try {
    for (const l of lines) move(ctx, l.m, 'handout', l.q, store, null, r.date, { record_id: r.id, confirm, field: 'materials', at })
  } catch (e) {
    st.movements = keep
    throw e
  }
}

function setReview(ctx: RecordsContext, r: ActivityRecord, to: ActivityRecord['review_status'], comment: string, at?: string) {
  const before = withMaterials(r)
  const action = to === 'approved' ? 'approve' : to === 'returned' ? 'return' : r.review_status === 'approved' ? 'reopen' : 'submit'
  Object.assign(r, { review_status: to, review_comment: comment, reviewed_by: ctx.user?.name ?? null, reviewed_at: at ?? now(), updated_at: at ?? now() })
  log(ctx, 'record', r.id, action, before, withMaterials(r), undefined, at)
}

function createRecord(ctx: RecordsContext, input: RecordInput, opts: { today?: string; at?: string } = {}): ActivityRecord {
  if (!ctx.town) fail('not_initialized', '尚未设置乡镇：请先完成首次设置')
  const { fields, lines } = checkRecord(ctx, input, opts.today)
  checkDeadline(ctx, fields.campaign_ids, opts.today)
  const at = opts.at ?? now()
  const r: ActivityRecord = {
    id: newId(),
    ...fields,
    materials: [],
    review_status: 'pending',
    review_comment: '',
    reviewed_by: null,
    reviewed_at: null,
    created_at: at,
    updated_at: at,
  }
  st.records.push(r)
  try {
    writeHandouts(ctx, r, lines, input.confirm_below_zero, at)
  } catch (e) {
    st.records = st.records.filter((x) => x.id !== r.id)
    throw e
  }
  if (r.activity_id) {
    const a = ctx.activities.find((x) => x.id === r.activity_id)
    if (a) a.status = 'held'
  }
  log(ctx, 'record', r.id, 'create', null, withMaterials(r), undefined, at)
  if (isCoordinator(ctx)) setReview(ctx, r, 'approved', '录入即审核', at)
  return withMaterials(r)
}

function listRecords(ctx: RecordsContext, f: { from?: string | null; to?: string | null; unit_id?: string | null; campaign_id?: string | null; review_status?: string | null; search?: string | null }) {
  const s = (f.search ?? '').trim()
  return st.records
    .filter(
      (r) =>
        (!f.from || r.date >= f.from) &&
        (!f.to || r.date <= f.to) &&
        (!f.unit_id || r.unit_id === f.unit_id) &&
        (!f.campaign_id || r.campaign_ids.includes(f.campaign_id)) &&
        (!f.review_status || r.review_status === f.review_status) &&
        (!s || r.title.includes(s) || r.narrative.includes(s) || (r.unit_name ?? '').includes(s)),
    )
    .map((r) => ({ ...withMaterials(r), unit_name: ctx.units.find((u) => u.id === r.unit_id)?.name ?? r.unit_name }))
    .sort((a, b) => (a.date + (a.start_time ?? '')).localeCompare(b.date + (b.start_time ?? '')))
}

function prefill(ctx: RecordsContext, activityId: string): ActivityRecord {
  const a = ctx.activities.find((x) => x.id === activityId && (x as { kind?: string }).kind !== 'record')
  if (!a) fail('not_found', `找不到活动（${activityId}），可能已被删除`)
  const zero = { consultations: 0, banners: 0, boards: 0, vehicles: 0, online_posts: 0, online_views: 0, disputes: 0, legal_aid_cases: 0, volunteers: 0 }
  return {
    id: '',
    activity_id: a.id,
    title: a.title,
    date: a.date,
    start_time: a.start_time,
    end_time: a.end_time,
    unit_id: a.unit_id,
    unit_name: a.unit_name,
    venue_type: a.venue_type,
    venue: a.venue,
    formats: a.formats,
    audiences: a.audiences,
    laws: a.laws,
    campaign_ids: a.campaign_ids,
    nodes: a.nodes,
    speakers: [],
    partners: a.partners,
    participants: a.expected_audience ?? 0,
    reach: a.expected_audience ?? 0,
    reach_by_audience: {},
    ...zero,
    narrative: '',
    materials: [],
    quiz: null,
    recorder: ctx.user?.name ?? '',
    review_status: 'pending',
    review_comment: '',
    reviewed_by: null,
    reviewed_at: null,
    created_at: '',
    updated_at: '',
  }
}

// ---- seed ----

/** The demo town's records as the real core wrote them (fixtures.json, `activity list`). */
function fixtureRecords(): ActivityRecord[] {
  return (fixtures.activities as unknown as ({ kind?: string } & ActivityRecord)[])
    .filter((x) => x.kind === 'record')
    .map(({ kind: _kind, ...r }) => {
      void _kind
      return r as ActivityRecord
    })
}

function seed(ctx: RecordsContext): void {
  st.seeded = true
  if (!ctx.town) return
  const fromCore = fixtureRecords()
  if (fromCore.length) {
    seedFromFixtures(ctx, fromCore)
    return
  }
  const today = todayIso()
  const day = (n: number) => addDays(today, -n)
  const at = (n: number, h = 10) => `${day(n)}T0${h % 10}:${10 + (n % 40)}:00.000Z`
  const cat: [string, string, string, number][] = [
    ['宪法读本', '读本', '册', 50],
    ['民法典单行本', '读本', '本', 30],
    ['农民工维权手册', '宣传册', '册', 40],
    ['反电信诈骗宣传单', '宣传单', '张', 200],
    ['普法环保袋', '宣传品', '个', 50],
    ['法治宣传挂历', '宣传品', '本', 0],
  ]
  const mats = cat.map(([name, category, unit, low]) => {
    const m: Mat = { id: newId(), name, category, unit, low_stock: low, archived: false, created_at: at(80), updated_at: at(80) }
    st.materials.push(m)
    log(ctx, 'material', m.id, 'create', null, withBalance(m), undefined, at(80))
    return m
  })
  const town = storeFor(ctx, null)
  const receipts: [number, number, string][] = [
    [0, 500, '县司法局配发'],
    [1, 200, '县司法局配发'],
    [2, 300, '县人社局配发'],
    [3, 1000, '镇自印'],
    [4, 120, '县司法局配发'],
  ]
  for (const [i, q, source] of receipts) move(ctx, mats[i], 'receipt', q, null, town, day(70), { source, at: at(70) })
  const villages = ctx.units.filter((u) => u.kind === 'village' || u.kind === 'community')
  if (villages.length >= 2) {
    move(ctx, mats[0], 'transfer', 100, town, storeFor(ctx, villages[1].id), day(60), { note: '宪法宣传周前配送', at: at(60) })
    move(ctx, mats[3], 'transfer', 300, town, storeFor(ctx, villages[2 % villages.length].id), day(58), { at: at(58) })
  }
  const past = ctx.activities.filter((a) => a.date <= today && a.status === 'planned').sort((a, b) => b.date.localeCompare(a.date))
  const picks = past.slice(0, 7)
  const user = ctx.user
  const cadre = { ...(user ?? { id: 'c', name: '王村干' }), name: '王小芳', role: 'village_cadre' as const }
  picks.forEach((a, i) => {
    const asCadre = i % 3 !== 0
    const c: RecordsContext = { ...ctx, user: asCadre ? { ...cadre, unit_id: a.unit_id, unit_name: a.unit_name } : user }
    const participants = 30 + ((i * 17) % 60)
    const input: RecordInput = {
      activity_id: a.id,
      title: a.title,
      date: a.date,
      start_time: a.start_time,
      end_time: a.end_time,
      unit_id: a.unit_id,
      unit_name: null,
      venue_type: a.venue_type,
      venue: a.venue,
      formats: a.formats,
      audiences: a.audiences,
      laws: a.laws,
      campaign_ids: a.campaign_ids.filter((id) => !ctx.campaigns.find((x) => x.id === id)?.report_deadline),
      nodes: a.nodes,
      speakers: [],
      partners: a.partners,
      participants,
      reach: participants + 20,
      reach_by_audience: {},
      consultations: i % 2 ? 6 + i : null,
      banners: 1,
      boards: i % 2 ? 2 : null,
      vehicles: null,
      online_posts: i === 1 ? 1 : null,
      online_views: i === 1 ? 320 : null,
      disputes: null,
      legal_aid_cases: null,
      volunteers: null,
      narrative: `${a.unit_name ?? ''}组织群众${participants}人参加，发放资料、现场解答法律咨询。`,
      materials: i < 5 ? [{ material_id: mats[i % 5].id, material_name: null, quantity: 20 + i * 5, unit: mats[i % 5].unit }] : [],
      quiz: null,
      recorder: c.user?.name ?? '李明',
      confirm_below_zero: true,
    }
    try {
      const r = createRecord(c, input, { at: at(Math.max(1, 20 - i * 2), 9) })
      const rec = st.records.find((x) => x.id === r.id) as ActivityRecord
      if (asCadre && i % 3 === 1 && i > 1) setReview({ ...ctx }, rec, 'returned', '请补充签到表照片，参加人数与签到表不一致', at(Math.max(1, 19 - i * 2), 11))
      else if (asCadre && i === 4) setReview({ ...ctx }, rec, 'approved', '', at(3, 15))
    } catch (e) {
      console.warn('[pufa] demo record skipped', a.title, e)
    }
  })
}

/** A catalogue from the materials the demo records handed out, stock received to cover them. */
function seedFromFixtures(ctx: RecordsContext, records: ActivityRecord[]): void {
  const first = records.reduce((d, r) => (r.date < d ? r.date : d), todayIso())
  const receiptDay = addDays(first, -10)
  const at = `${receiptDay}T01:00:00.000Z`
  const used = new Map<string, { name: string; unit: string; total: number }>()
  for (const r of records)
    for (const l of r.materials) {
      const u = used.get(l.material_id) ?? { name: l.material_name, unit: l.unit, total: 0 }
      u.total += Number(l.quantity)
      used.set(l.material_id, u)
    }
  const CATEGORY: Record<string, string> = { 份: '宣传单', 册: '读本', 本: '读本', 个: '宣传品' }
  const town = storeFor(ctx, null)
  let i = 0
  for (const [id, u] of used) {
    const m: Mat = { id, name: u.name, category: CATEGORY[u.unit] ?? '', unit: u.unit, low_stock: u.name.includes('奖品') ? 30 : i % 3 === 0 ? 50 : 0, archived: false, created_at: at, updated_at: at }
    st.materials.push(m)
    log(ctx, 'material', m.id, 'create', null, withBalance(m), undefined, at)
    // Enough for the hand-outs and a little more; the quiz prizes run low.
    const q = u.name.includes('奖品') ? u.total + 20 : Math.ceil((u.total + 150) / 100) * 100
    move(ctx, m, 'receipt', q, null, town, receiptDay, { source: i % 2 ? '镇自印' : '县司法局配发', at })
    i++
  }
  for (const [name, unit] of [['宪法读本', '册'], ['反电信诈骗宣传单', '张']] as const) {
    const m: Mat = { id: newId(), name, category: unit === '张' ? '宣传单' : '读本', unit, low_stock: 30, archived: false, created_at: at, updated_at: at }
    st.materials.push(m)
    move(ctx, m, 'receipt', unit === '张' ? 1000 : 300, null, town, addDays(todayIso(), -20), { source: '县司法局配发', at })
  }
  const villages = ctx.units.filter((u) => u.kind === 'village' || u.kind === 'community')
  if (villages.length > 2) {
    const m = st.materials.find((x) => x.name === '宪法读本') as Mat
    move(ctx, m, 'transfer', 80, town, storeFor(ctx, villages[1].id), addDays(todayIso(), -15), { note: '宪法宣传周前配送', at })
  }
  for (const r of [...records].sort((a, b) => a.created_at.localeCompare(b.created_at))) {
    st.records.push({ ...r, materials: [] })
    for (const l of r.materials) {
      const m = st.materials.find((x) => x.id === l.material_id) as Mat
      move(ctx, m, 'handout', Number(l.quantity), town, null, r.date, { record_id: r.id, confirm: true, at: r.created_at })
    }
    log({ ...ctx, user: { ...(ctx.user as UserProfile), name: r.recorder } }, 'record', r.id, 'create', null, withMaterials(r), undefined, r.created_at)
    if (r.review_status !== 'pending') {
      const action = r.review_status === 'approved' ? 'approve' : 'return'
      const before = { ...withMaterials(r), review_status: 'pending', review_comment: '', reviewed_by: null, reviewed_at: null }
      log(ctx, 'record', r.id, action, before, withMaterials(r), undefined, r.reviewed_at ?? r.updated_at)
    }
  }
}

// ---- requests ----

export function handleRecords(req: Request, ctx: RecordsContext): unknown {
  if (!st.seeded && ctx.town) seed(ctx)
  const out = dispatch(req, ctx)
  if (out !== NOT_MINE) persist()
  return out
}

function dispatch(req: Request, ctx: RecordsContext): unknown {
  switch (req.cmd) {
    case 'material_list':
      return st.materials.filter((m) => req.args.include_archived || !m.archived).map(withBalance).sort((a, b) => (a.category + a.name).localeCompare(b.category + b.name))
    case 'material_create': {
      if (!ctx.town) fail('not_initialized', '尚未设置乡镇')
      const v = checkMaterial(req.args as unknown as Parameters<typeof checkMaterial>[0])
      const m: Mat = { id: newId(), ...v, archived: false, created_at: now(), updated_at: now() }
      st.materials.push(m)
      log(ctx, 'material', m.id, 'create', null, withBalance(m))
      return withBalance(m)
    }
    case 'material_update': {
      const before = material(req.args.id)
      const v = checkMaterial(req.args.input as unknown as Parameters<typeof checkMaterial>[0], req.args.id)
      const m = st.materials.find((x) => x.id === req.args.id) as Mat
      Object.assign(m, v, { updated_at: now() })
      log(ctx, 'material', m.id, 'update', before, withBalance(m))
      return withBalance(m)
    }
    case 'material_archive': {
      const before = material(req.args.id)
      const m = st.materials.find((x) => x.id === req.args.id) as Mat
      m.archived = req.args.archived
      log(ctx, 'material', m.id, req.args.archived ? 'archive' : 'unarchive', before, withBalance(m))
      return withBalance(m)
    }
    case 'stock_receive': {
      const a = req.args as unknown as { material: string; quantity: number; date: string; source: string | null; unit_id: string | null; note: string | null }
      const q = qty(a.quantity)
      if (!parseIso(a.date)) fail('invalid_date', `日期“${a.date}”不是有效日期`, 'date')
      const m = resolveMaterial(a.material, 'material')
      const store = storeFor(ctx, a.unit_id ? unitOf(ctx, a.unit_id, 'unit_id').id : null)
      return publicMove(move(ctx, m, 'receipt', q, null, store, a.date, { source: a.source ?? '', note: a.note ?? '' }))
    }
    case 'stock_transfer': {
      const a = req.args as unknown as { material: string; quantity: number; date: string; from_unit_id: string | null; to_unit_id: string | null; note: string | null; confirm_below_zero: boolean }
      const q = qty(a.quantity)
      if (!parseIso(a.date)) fail('invalid_date', `日期“${a.date}”不是有效日期`, 'date')
      const m = resolveMaterial(a.material, 'material')
      const from = storeFor(ctx, a.from_unit_id ? unitOf(ctx, a.from_unit_id, 'from_unit_id').id : null)
      const to = storeFor(ctx, a.to_unit_id ? unitOf(ctx, a.to_unit_id, 'to_unit_id').id : null)
      if (from.id === to.id) fail('invalid_value', '调出和调入不能是同一处', 'to_unit_id')
      return publicMove(move(ctx, m, 'transfer', q, from, to, a.date, { note: a.note ?? '', confirm: a.confirm_below_zero }))
    }
    case 'stock_report':
      return report()
    case 'stock_movements':
      return st.movements
        .filter((m) => !req.args.material_id || m.material_id === req.args.material_id)
        .sort((a, b) => (b.date + b.created_at).localeCompare(a.date + a.created_at))
        .map(publicMove)
    case 'record_list':
      return listRecords(ctx, req.args)
    case 'record_page': {
      const { offset, limit, with_totals, oldest_first } = req.args.page
      const all = listRecords(ctx, req.args.filter)
      if (!oldest_first) all.reverse()
      return { rows: all.slice(offset, offset + limit), totals: with_totals ? recordTotals(all) : null }
    }
    case 'record_status_counts': {
      const { pending, returned, approved } = recordTotals(listRecords(ctx, { unit_id: req.args.unit_id }))
      return { pending, returned, approved }
    }
    case 'record_get':
      return getRecord(req.args.id)
    case 'record_prefill':
      return prefill(ctx, req.args.activity_id)
    case 'record_create':
      return createRecord(ctx, req.args)
    case 'record_update': {
      const r = st.records.find((x) => x.id === req.args.id)
      if (!r) fail('not_found', `找不到活动记录（${req.args.id}），可能已被删除`)
      const { fields, lines } = checkRecord(ctx, req.args.input)
      if (r.review_status === 'approved') fail('locked', '该记录已审核通过并锁定；如需修改，请协调员先“重新打开”')
      checkDeadline(ctx, r.campaign_ids)
      checkDeadline(ctx, fields.campaign_ids)
      const before = withMaterials(r)
      const saved = { ...r }
      Object.assign(r, fields, { updated_at: now() })
      try {
        writeHandouts(ctx, r, lines, req.args.input.confirm_below_zero)
      } catch (e) {
        Object.assign(r, saved)
        throw e
      }
      log(ctx, 'record', r.id, 'update', before, withMaterials(r))
      if (before.review_status === 'returned') setReview(ctx, r, 'pending', '修改后重新提交')
      return withMaterials(r)
    }
    case 'record_delete': {
      const r = getRecord(req.args.id)
      if (r.review_status === 'approved') fail('locked', '已审核通过的记录不能删除')
      st.movements = st.movements.filter((m) => m.record_id !== r.id)
      st.records = st.records.filter((x) => x.id !== r.id)
      st.attachments = st.attachments.filter((a) => a.record_id !== r.id)
      log(ctx, 'record', r.id, 'delete', r, null)
      return { deleted: r.id }
    }
    case 'record_review': {
      const r = st.records.find((x) => x.id === req.args.id)
      if (!r) fail('not_found', `找不到活动记录（${req.args.id}），可能已被删除`)
      const { action } = req.args
      const comment = (req.args.comment ?? '').trim()
      if (action !== 'submit' && !isCoordinator(ctx)) fail('forbidden', '只有普法协调员可以审核活动记录')
      const from = r.review_status
      let to: ActivityRecord['review_status'] | null = null
      if (action === 'approve' && from === 'pending') to = 'approved'
      if (action === 'return' && from === 'pending') {
        if (!comment) fail('required', '退回时请写明需要修改的地方', 'review_comment')
        to = 'returned'
      }
      if (action === 'reopen' && from === 'approved') {
        if (!comment) fail('required', '重新打开已通过的记录，请写明原因', 'review_comment')
        to = 'pending'
      }
      if (action === 'submit' && from === 'returned') to = 'pending'
      if (!to) {
        const label = { pending: '待审核', returned: '已退回', approved: '已通过' }[from]
        const verb = { approve: '审核通过', return: '退回', reopen: '重新打开', submit: '提交' }[action]
        fail('invalid_value', `“${label}”的记录不能${verb}`, 'review_status')
      }
      setReview(ctx, r, to, comment)
      return withMaterials(r)
    }
    case 'export_ledger_xlsx':
    case 'export_csv':
      return { path: req.args.path, count: listRecords(ctx, req.args.filter ?? {}).length }
    case 'export_photos': {
      const ids = new Set(listRecords(ctx, req.args.filter ?? {}).map((r) => r.id))
      const count = st.attachments.filter((a) => ids.has(a.record_id)).length
      if (!count) fail('not_found', '所选时间和条件下的活动记录没有照片或附件，没有生成文件')
      return { path: req.args.path, count }
    }
    case 'summary':
      return mockSummary(ctx, req.args)
    case 'activity_ledger': {
      const f = req.args
      return listRecords(ctx, { from: f.from, to: f.to, unit_id: f.unit_id, campaign_id: f.campaign_id, search: f.search }).map((r) => ({ kind: 'record', ...r }))
    }
    case 'attachment_list':
      return st.attachments.filter((a) => a.record_id === req.args.record_id)
    case 'attachment_add': {
      getRecord(req.args.record_id)
      const { path, kind, record_id } = req.args
      if (!['photo', 'sign_in', 'plan', 'other'].includes(kind)) fail('invalid_value', `附件类型“${kind}”无效`, 'kind')
      const name = path.split(/[\\/]/).pop() || '附件'
      const ext = (name.split('.').pop() ?? '').toLowerCase()
      const mimes: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', pdf: 'application/pdf', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }
      const mime = mimes[ext]
      if (!mime) fail('file_rejected', `“${name}”不是照片（JPG、PNG、GIF、WEBP）、PDF 或 Office 文件，不能作为附件`, 'attachment')
      const sha = Math.random().toString(16).slice(2).padEnd(64, '0')
      const a: Attachment = {
        id: newId(),
        record_id,
        kind,
        file_name: name,
        sha256: sha,
        size: 180_000 + Math.floor(Math.random() * 2_000_000),
        mime,
        stored: `attachments/${sha.slice(0, 2)}/${sha}.${ext}`,
        thumbnail: mime.startsWith('image/') ? `attachments/thumbs/${sha}.jpg` : null,
        created_at: now(),
      }
      st.attachments.push(a)
      st.audit.unshift({ id: newId(), at: now(), user_name: ctx.user?.name ?? '本机', entity: 'record', entity_id: record_id, action: 'attach', summary: `添加附件“${name}”`, changes: diff(null, a) })
      return a
    }
    case 'attachment_thumbnail': {
      const a = st.attachments.find((x) => x.id === req.args.id)
      if (!a) fail('not_found', `找不到附件（${req.args.id}），可能已被删除`)
      // A pretend photo: a sky-and-field picture drawn as SVG.
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120"><rect width="160" height="70" fill="#9cc9f0"/><rect y="70" width="160" height="50" fill="#7fb36a"/></svg>'
      return a.thumbnail ? `data:image/svg+xml;base64,${btoa(svg)}` : null
    }
    case 'attachment_remove': {
      const a = st.attachments.find((x) => x.id === req.args.id)
      if (!a) fail('not_found', `找不到附件（${req.args.id}），可能已被删除`)
      st.attachments = st.attachments.filter((x) => x.id !== a.id)
      st.audit.unshift({ id: newId(), at: now(), user_name: ctx.user?.name ?? '本机', entity: 'record', entity_id: a.record_id, action: 'detach', summary: `删除附件“${a.file_name}”`, changes: diff(a, null) })
      return { deleted: a.id }
    }
    case 'draft_save': {
      const text = JSON.stringify(req.args.body)
      if (text.length > 256 * 1024) fail('too_long', '草稿过大，未保存', 'body')
      st.drafts[req.args.key] = { body: JSON.parse(text), updated_at: now() }
      return { key: req.args.key, ...st.drafts[req.args.key] }
    }
    case 'draft_get': {
      const d = st.drafts[req.args.key]
      return d ? { key: req.args.key, ...d } : null
    }
    case 'draft_list':
      return Object.entries(st.drafts)
        .map(([key, d]) => ({ key, ...d }))
        .sort((a, b) => b.updated_at.localeCompare(a.updated_at))
    case 'draft_discard':
      delete st.drafts[req.args.key]
      return { deleted: req.args.key }
    case 'audit_list': {
      const f = req.args
      const since = f.since ?? ''
      return st.audit
        .filter((e) => (!f.entity || e.entity === f.entity) && (!f.entity_id || e.entity_id === f.entity_id) && (!since || e.at >= since))
        .slice(0, f.limit ?? 10_000)
    }
    default:
      return NOT_MINE
  }
}

/** The native open dialog in the browser: a pretend photo (or the first of a few). */
export function mockOpenDialog(args: unknown): string | string[] | null {
  const opts = (args as { options?: { multiple?: boolean; filters?: { extensions?: string[] }[] } }).options ?? {}
  const exts = opts.filters?.[0]?.extensions ?? ['jpg']
  const stamp = new Date().toISOString().slice(11, 19).replace(/:/g, '')
  if (exts.includes('pufabak')) return `/home/dev/文档/普法台账备份.pufabak`
  if (exts.includes('xls')) return `/home/dev/文档/安静村11月活动登记表.xlsx`
  const name = exts.includes('jpg') ? `/home/dev/图片/IMG_${stamp}.jpg` : exts.includes('pdf') ? `/home/dev/文档/活动方案_${stamp}.pdf` : `/home/dev/文档/签到表_${stamp}.xlsx`
  return opts.multiple ? [name] : name
}

/** The dashboard's numbers from the mock's records: the core's rules in small (approved only
 * unless pending are asked for; breakdowns by month, campaign, node, village, audience, format, law). */
function mockSummary(ctx: RecordsContext, f: { from: string; to: string; village?: string | null; campaign_id?: string | null; include_pending?: boolean }): Summary {
  if (!f.from || !f.to) fail('invalid_value', '请选择开始和结束日期', 'start_date')
  if (f.to < f.from) fail('invalid_value', '结束日期不能早于开始日期', 'end_date')
  const counted = st.records.filter(
    (r) =>
      r.date >= f.from &&
      r.date <= f.to &&
      (!f.village || r.unit_id === f.village || r.unit_name === f.village) &&
      (!f.campaign_id || r.campaign_ids.includes(f.campaign_id)) &&
      (r.review_status === 'approved' || (f.include_pending && r.review_status === 'pending')),
  )
  const sum = (k: keyof ActivityRecord) => counted.reduce((t, r) => t + (Number(r[k]) || 0), 0)
  const group = (keys: (r: ActivityRecord) => string[], label: (k: string) => string): Breakdown[] => {
    const by = new Map<string, Breakdown>()
    for (const r of counted)
      for (const key of keys(r)) {
        const b = by.get(key) ?? { key, label: label(key), activities: 0, participants: 0, reach: 0 }
        b.activities++
        b.participants += r.participants
        b.reach += r.reach
        by.set(key, b)
      }
    return [...by.values()].sort((a, b) => b.activities - a.activities || a.key.localeCompare(b.key))
  }
  const materials = new Map<string, { name: string; unit: string; quantity: number }>()
  for (const r of counted)
    for (const m of r.materials) {
      const t = materials.get(m.material_name) ?? { name: m.material_name, unit: m.unit, quantity: 0 }
      t.quantity += m.quantity
      materials.set(m.material_name, t)
    }
  const byVillage = group((r) => [r.unit_id ?? ''], (k) => counted.find((r) => r.unit_id === k)?.unit_name ?? k)
  const villages = ctx.units.filter((u) => u.kind === 'village' || u.kind === 'community')
  const approx = (n: number) => (n < 100 ? String(n) : `${Math.floor(n / 10 ** (String(n).length - 2)) * 10 ** (String(n).length - 2)}余`)
  const handed = [...materials.values()].reduce((t, m) => t + m.quantity, 0)
  const wholeYear = f.from.slice(4) === '-01-01' && f.to.slice(4) === '-12-31' && f.from.slice(0, 4) === f.to.slice(0, 4)
  return {
    from: f.from,
    to: f.to,
    include_pending: !!f.include_pending,
    basis: f.include_pending ? 'with_pending' : 'approved',
    basis_line: f.include_pending ? '统计口径：已审核通过及待审核的活动记录' : '统计口径：已审核通过的活动记录',
    statuses: {
      approved: counted.filter((r) => r.review_status === 'approved').length,
      pending: counted.filter((r) => r.review_status === 'pending').length,
      returned: 0,
    },
    activities: counted.length,
    pending: counted.filter((r) => r.review_status === 'pending').length,
    returned: 0,
    participants: sum('participants'),
    reach: sum('reach'),
    consultations: sum('consultations'),
    banners: sum('banners'),
    boards: sum('boards'),
    vehicles: sum('vehicles'),
    online_posts: sum('online_posts'),
    online_views: sum('online_views'),
    disputes: sum('disputes'),
    legal_aid_cases: sum('legal_aid_cases'),
    volunteers: sum('volunteers'),
    materials: [...materials.values()],
    material_units: [...new Set([...materials.values()].map((m) => m.unit))].map((unit) => {
      const of = [...materials.values()].filter((m) => m.unit === unit)
      return { unit, label: '宣传资料', kinds: of.length, quantity: of.reduce((t, m) => t + m.quantity, 0) }
    }),
    planned: counted.length,
    planned_held: counted.filter((r) => r.activity_id).length,
    by_month: group((r) => [r.date.slice(0, 7)], (k) => `${k.slice(0, 4)}年${Number(k.slice(5))}月`).sort((a, b) => a.key.localeCompare(b.key)),
    by_campaign: group((r) => r.campaign_ids, (k) => ctx.campaigns.find((c) => c.id === k)?.name ?? k),
    by_node: group((r) => r.nodes, (k) => k),
    by_village: byVillage,
    by_audience: group((r) => r.audiences, (k) => k),
    by_format: group((r) => r.formats, (k) => k),
    by_law: group((r) => r.laws, (k) => k),
    villages_without: f.village ? [] : villages.filter((v) => !byVillage.some((b) => b.key === v.id)).map((v) => v.name),
    villages_in_review: [],
    headline: `${wholeYear ? '全年' : '期间'}开展普法活动${counted.length}场次，受众${approx(sum('reach'))}人次，发放资料${approx(handed)}份`,
  }
}
