// DEV ONLY: the planning part of the in-memory backend (key dates, activities, conflicts,
// templates, holidays, exports). Key dates, templates, holidays and the demo town come from
// fixtures.json, dumped from the real core by gen-fixtures.sh; the rest is a simplified
// imitation of the core, good enough to click through the screens.
import type { Activity } from '../bindings/Activity'
import type { CalendarItem } from '../bindings/CalendarItem'
import type { ActivityInput } from '../bindings/ActivityInput'
import type { ActivitySaved } from '../bindings/ActivitySaved'
import type { AppError } from '../bindings/AppError'
import type { Campaign } from '../bindings/Campaign'
import type { CampaignKind } from '../bindings/CampaignKind'
import type { Conflict } from '../bindings/Conflict'
import type { ConflictKind } from '../bindings/ConflictKind'
import type { Coverage } from '../bindings/Coverage'
import type { DateRule } from '../bindings/DateRule'
import type { HolidayDay } from '../bindings/HolidayDay'
import type { HolidayYear } from '../bindings/HolidayYear'
import type { KeyDate } from '../bindings/KeyDate'
import type { KeyDateNode } from '../bindings/KeyDateNode'
import type { LocalNodeInput } from '../bindings/LocalNodeInput'
import type { Person } from '../bindings/Person'
import type { PlanGenerated } from '../bindings/PlanGenerated'
import type { PlanTemplate } from '../bindings/PlanTemplate'
import type { Recurrence } from '../bindings/Recurrence'
import type { Unit } from '../bindings/Unit'
import { addDays, parseIso, toIso, weekdayOf } from '../lib/dates'
import { previewDates } from '../lib/recurrence'
import { describeRule } from '../lib/rule-form'
import rawFixtures from './fixtures.json'

export interface Fixtures {
  info: { town: { id: string; name: string; county: string; created_at: string; updated_at: string } }
  units: Unit[]
  people: Person[]
  campaigns: Campaign[]
  activities: Activity[]
  templates: PlanTemplate[]
  keydates: Record<string, KeyDate[]>
  holidays: Record<string, HolidayYear>
}
export const fixtures = rawFixtures as unknown as Fixtures

export interface PlanningDb {
  units: Unit[]
  people: Person[]
  campaigns: Campaign[]
  activities: Activity[]
  overrides: Record<string, { start_date: string | null; end_date: string | null; theme: string; doc_number: string }>
  localNodes: KeyDateNode[]
  templates: PlanTemplate[]
  holidays: Record<string, HolidayDay[]>
  ignored: string[]
}

type Fail = (code: AppError['code'], message: string, field?: string | null) => never

const now = () => new Date().toISOString()
let n = 0
const newId = () => `dev-${Date.now().toString(36)}-${(++n).toString(36)}${Math.random().toString(36).slice(2, 6)}`

// ---- key dates ----

function shiftYear(k: KeyDate, from: number, to: number): KeyDate {
  const move = (iso: string) => {
    const y = Number(iso.slice(0, 4)) + (to - from)
    const rest = iso.slice(5)
    const s = `${y}-${rest}`
    return parseIso(s) ? s : `${y}-${rest.slice(0, 3)}28`
  }
  return { ...k, year: to, start: move(k.start), end: move(k.end), window_start: move(k.window_start), window_end: move(k.window_end), source: 'rule' }
}

function nationalYear(year: number): KeyDate[] {
  const have = Object.keys(fixtures.keydates).map(Number)
  if (have.includes(year)) return fixtures.keydates[String(year)].map((k) => ({ ...k }))
  const near = year > Math.max(...have) ? Math.max(...have) : Math.min(...have)
  return fixtures.keydates[String(near)].map((k) => shiftYear(k, near, year))
}

function ruleDay(r: DateRule, year: number, asEnd: boolean): string {
  const d = (m: number, day: number) => toIso(new Date(year, m - 1, day))
  switch (r.kind) {
    case 'fixed':
      return d(r.month, r.day)
    case 'week_of': {
      const iso = d(r.month, r.day)
      return addDays(iso, 1 - weekdayOf(iso))
    }
    case 'month':
      return asEnd ? toIso(new Date(year, r.month, 0)) : d(r.month, 1)
    case 'nth_weekday': {
      const first = d(r.month, 1)
      const offset = (r.weekday - weekdayOf(first) + 7) % 7
      return addDays(first, offset + 7 * (r.n - 1))
    }
    case 'last_weekday': {
      const last = toIso(new Date(year, r.month, 0))
      return addDays(last, -((weekdayOf(last) - r.weekday + 7) % 7))
    }
    case 'lunar':
      // Rough: a lunar date falls 3–7 weeks after the same Gregorian date (the mock only).
      return addDays(d(r.month, Math.min(r.day, 28)), 30)
    case 'school': {
      // Rough: the usual calendar (term 2月下旬 and 9月1日, breaks from late January and early July).
      const base = { spring_term: d(2, 22), autumn_term: d(9, 1), winter_break: d(1, 23), summer_break: d(7, 3) }[r.event]
      return addDays(base, r.offset)
    }
    case 'solar_term': {
      const terms = ['小寒', '大寒', '立春', '雨水', '惊蛰', '春分', '清明', '谷雨', '立夏', '小满', '芒种', '夏至', '小暑', '大暑', '立秋', '处暑', '白露', '秋分', '寒露', '霜降', '立冬', '小雪', '大雪', '冬至']
      const i = Math.max(0, terms.indexOf(r.term))
      return d(Math.floor(i / 2) + 1, i % 2 ? 20 : 5)
    }
  }
}

function localKeyDate(node: KeyDateNode, year: number): KeyDate {
  const start = ruleDay(node.start, year, false)
  let end = start
  if (node.end) {
    end = ruleDay(node.end, year, true)
    if (end < start) end = ruleDay(node.end, year + 1, true)
  } else if (node.days) end = addDays(start, node.days - 1)
  else if (node.start.kind === 'month') end = ruleDay(node.start, year, true)
  const rule = node.end ? `${describeRule(node.start)}至${describeRule(node.end)}` : node.days ? `${describeRule(node.start)}起${node.days}天` : describeRule(node.start)
  return {
    code: node.code,
    name: node.name,
    year,
    start,
    end,
    window_start: addDays(start, -node.window.before),
    window_end: addDays(end, node.window.after),
    rule: node.announced ? `${rule}（每年公布，此为默认）` : rule,
    rule_kind: node.announced ? 'ANN' : node.start.kind === 'fixed' ? 'F' : 'NW',
    laws: node.laws,
    audiences: node.audiences,
    lead_agency: node.lead_agency,
    theme: '',
    theme_draft: '',
    theme_draft_year: null,
    doc_number: '',
    note: node.note,
    source: node.announced ? 'provisional' : 'rule',
    local: true,
    since: null,
    standard: false,
  }
}

export function keydatesFor(db: PlanningDb, year: number, fail: Fail): KeyDate[] {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) fail('invalid_value', `年份 ${year} 超出范围，请输入 2000—2100 之间的年份`, 'year')
  const list = [...nationalYear(year), ...db.localNodes.map((n) => localKeyDate(n, year))]
  for (const k of list) {
    const o = db.overrides[`${k.code}:${year}`]
    if (!o) continue
    if (o.start_date && o.end_date) {
      k.window_start = addDays(o.start_date, -daysBetween(k.window_start, k.start))
      k.window_end = addDays(o.end_date, daysBetween(k.end, k.window_end))
      k.start = o.start_date
      k.end = o.end_date
      k.source = 'override'
    }
    if (o.theme) k.theme = o.theme
    k.doc_number = o.doc_number
  }
  return list.sort((a, b) => (a.start + a.name).localeCompare(b.start + b.name))
}

function daysBetween(a: string, b: string): number {
  const pa = parseIso(a)!
  const pb = parseIso(b)!
  return Math.round((Date.UTC(pb.y, pb.m - 1, pb.d) - Date.UTC(pa.y, pa.m - 1, pa.d)) / 86_400_000)
}

export function nodeList(db: PlanningDb): KeyDateNode[] {
  // The national catalogue's rules are not in the fixture; list local nodes fully and
  // national ones by name (what the screens use).
  const national = nationalYear(2026).filter((k) => !k.local).map(
    (k): KeyDateNode => ({
      code: k.code,
      name: k.name,
      start: { kind: 'fixed', month: Number(k.start.slice(5, 7)), day: Number(k.start.slice(8)) },
      end: null,
      days: null,
      announced: k.rule_kind === 'ANN',
      since: k.since ?? null,
      until: null,
      standard: k.standard ?? false,
      window: { before: 0, after: 0 },
      laws: k.laws,
      audiences: k.audiences,
      lead_agency: k.lead_agency,
      note: k.note,
      local: false,
    }),
  )
  return [...national, ...db.localNodes]
}

export function checkLocalNode(db: PlanningDb, input: LocalNodeInput, id: string, fail: Fail): KeyDateNode {
  const name = input.name.trim()
  if (!name) fail('required', '名称不能为空', 'name')
  if (nationalYear(2026).some((k) => k.name === name)) fail('duplicate', `“${name}”是国家节点，请直接修改该节点当年的日期`, 'name')
  if (db.localNodes.some((x) => x.name === name && x.code !== id)) fail('duplicate', `已有名为“${name}”的本地节点`, 'name')
  if (input.days != null && (input.days < 1 || input.days > 366)) fail('invalid_value', '天数应为 1—366', 'days')
  const r = input.start
  if ('month' in r && (r.month < 1 || r.month > 12)) fail('invalid_value', `月份 ${r.month} 无效，应为 1—12`, 'start')
  if ((r.kind === 'fixed' || r.kind === 'week_of') && (r.day < 1 || r.day > new Date(2001, r.month, 0).getDate()))
    fail('invalid_value', `${r.month}月${r.day}日 不是每年都有的日期，请改用其他日期`, 'start')
  return {
    code: id,
    name,
    start: input.start,
    end: input.end,
    days: input.days,
    announced: input.announced,
    since: null,
    until: null,
    standard: false,
    window: input.window,
    laws: input.laws,
    audiences: input.audiences as KeyDateNode['audiences'],
    lead_agency: input.lead_agency ?? '',
    note: input.note ?? '',
    local: true,
  }
}

// ---- holidays ----

export function holidayYear(db: PlanningDb, year: number): HolidayYear {
  const custom = db.holidays[String(year)]
  if (custom) return { year, source: 'custom', days: custom }
  const fx = fixtures.holidays[String(year)]
  if (fx) return fx
  return { year, source: 'estimated', days: [{ date: `${year}-01-01`, name: '元旦', work: false }, { date: `${year}-05-01`, name: '劳动节', work: false }, { date: `${year}-10-01`, name: '国庆节', work: false }, { date: `${year}-10-02`, name: '国庆节', work: false }, { date: `${year}-10-03`, name: '国庆节', work: false }] }
}

function daysOff(db: PlanningDb, year: number): Map<string, string> {
  return new Map(holidayYear(db, year).days.filter((d) => !d.work).map((d) => [d.date, d.name]))
}

// ---- activities ----

function minutes(t: string): number {
  const [h, m] = t.split(':').map(Number)
  return h * 60 + (m || 0)
}
function span(a: Activity): [number, number] {
  if (!a.start_time) return [0, 1440]
  const s = minutes(a.start_time)
  const e = a.end_time ? minutes(a.end_time) : Math.min(s + 120, 1440)
  return [s, Math.max(e, s + 1)]
}
const counts = (a: Activity) => a.status !== 'cancelled' && a.status !== 'postponed'
const when = (a: Activity) => (a.start_time ? `${a.date} ${a.start_time}${a.end_time ? `—${a.end_time}` : ''}` : `${a.date}（全天）`)

export function conflictsAmong(db: PlanningDb, list: Activity[], focus?: Set<string>): Conflict[] {
  const out: Conflict[] = []
  const villages = new Set(db.units.filter((u) => u.kind === 'village' || u.kind === 'community').map((u) => u.id))
  const byDate = new Map<string, Activity[]>()
  for (const a of db.activities) byDate.set(a.date, [...(byDate.get(a.date) ?? []), a])
  const ignoredKey = (kind: string, a: string, b: string) => `${kind}|${a}|${b}`
  const push = (c: Omit<Conflict, 'ignored'>) => {
    if (out.some((o) => o.kind === c.kind && o.a === c.a && o.b === c.b)) return
    out.push({ ...c, ignored: db.ignored.includes(ignoredKey(c.kind, c.a, c.b)) })
  }
  const pair = (kind: ConflictKind, a: Activity, b: Activity, message: string) => {
    const [x, y] = a.id <= b.id ? [a, b] : [b, a]
    push({ kind, a: x.id, b: y.id, activity_id: a.id, activity_title: a.title, other_activity_id: b.id, other_title: b.title, campaign_id: null, date: a.date, message })
  }
  for (const a of list) {
    if (!counts(a)) continue
    if (focus && !focus.has(a.id)) continue
    for (const b of byDate.get(a.date) ?? []) {
      if (b.id === a.id || !counts(b)) continue
      const [s1, e1] = span(a)
      const [s2, e2] = span(b)
      const overlap = s1 < e2 && s2 < e1
      if (a.lead_person_id && a.lead_person_id === b.lead_person_id && overlap)
        pair('person_double', a, b, `${a.lead_person_name ?? '同一负责人'}同时负责“${a.title}”（${when(a)}）和“${b.title}”（${when(b)}）`)
      if (a.venue.trim() && a.venue.trim() === b.venue.trim() && overlap)
        pair('venue_double', a, b, `场所“${a.venue}”同时安排了“${a.title}”和“${b.title}”（${a.date}）`)
      if (a.unit_id && a.unit_id === b.unit_id && villages.has(a.unit_id)) {
        const half = (x: Activity) => [span(x)[0] < 720, span(x)[1] > 720]
        const [am1, pm1] = half(a)
        const [am2, pm2] = half(b)
        if ((am1 && am2) || (pm1 && pm2))
          pair('village_half_day', a, b, `${a.unit_name}同一个半天安排了两场活动：“${a.title}”和“${b.title}”（${a.date}）`)
      }
    }
    for (const cid of a.campaign_ids) {
      const c = db.campaigns.find((x) => x.id === cid)
      if (c && (a.date < c.start_date || a.date > c.end_date))
        push({ kind: 'outside_campaign', a: a.id, b: c.id, activity_id: a.id, activity_title: a.title, other_activity_id: null, other_title: null, campaign_id: c.id, date: a.date, message: `“${a.title}”（${a.date}）不在活动专项“${c.name}”的时间内（${c.start_date} 至 ${c.end_date}）` })
    }
    const off = daysOff(db, Number(a.date.slice(0, 4))).get(a.date)
    if (off)
      push({ kind: 'holiday', a: a.id, b: a.date, activity_id: a.id, activity_title: a.title, other_activity_id: null, other_title: null, campaign_id: null, date: a.date, message: `“${a.title}”安排在 ${a.date}，是${off}假期` })
  }
  return out.sort((x, y) => (x.date + x.kind).localeCompare(y.date + y.kind))
}

export function setIgnored(db: PlanningDb, kind: string, a: string, b: string, ignored: boolean): void {
  const key = `${kind}|${a}|${b}`
  db.ignored = db.ignored.filter((k) => k !== key)
  if (ignored) db.ignored.push(key)
}

function saved(db: PlanningDb, activities: Activity[]): ActivitySaved {
  return { activities, conflicts: conflictsAmong(db, activities) }
}

export function checkActivity(db: PlanningDb, input: ActivityInput, fail: Fail) {
  const title = input.title.trim()
  if (!title) fail('required', '活动名称不能为空', 'title')
  if (!parseIso(input.date)) fail(input.date ? 'invalid_date' : 'required', input.date ? `日期“${input.date}”不是有效日期` : '日期不能为空', 'date')
  const st = input.start_time?.trim() || null
  const et = input.end_time?.trim() || null
  if (!st && et) fail('required', '填写了结束时间，请同时填写开始时间', 'start_time')
  if (st && et && et < st) fail('date_order', `结束时间（${et}）早于开始时间（${st}）`, 'end_time')
  const unit = input.unit_id ? db.units.find((u) => u.id === input.unit_id || u.name === input.unit_id) : undefined
  if (input.unit_id && !unit) fail('not_found', `找不到村/单位“${input.unit_id}”`, 'unit_id')
  const person = input.lead_person_id ? db.people.find((p) => p.id === input.lead_person_id) : undefined
  const exp = input.expected_audience == null ? null : Number(input.expected_audience)
  if (exp != null && (exp < 0 || exp > 1_000_000)) fail('invalid_value', `预计受众人数 ${exp} 无效，应为 0—1000000`, 'expected_audience')
  for (const m of input.materials) if (!m.item.trim()) fail('required', '资料名称不能为空', 'materials')
  return {
    title,
    date: input.date,
    start_time: st,
    end_time: et,
    unit_id: unit?.id ?? null,
    unit_name: unit?.name ?? null,
    venue_type: (input.venue_type || null) as Activity['venue_type'],
    venue: input.venue?.trim() ?? '',
    formats: input.formats as Activity['formats'],
    audiences: input.audiences as Activity['audiences'],
    laws: input.laws,
    campaign_ids: [...input.campaign_ids].sort(),
    nodes: input.nodes,
    lead_person_id: person?.id ?? null,
    lead_person_name: person?.name ?? null,
    partners: input.partners,
    materials: input.materials,
    expected_audience: exp,
    notes: input.notes ?? '',
  }
}

export function createActivities(db: PlanningDb, input: ActivityInput, recurrence: Recurrence | null, fail: Fail): ActivitySaved {
  const c = checkActivity(db, input, fail)
  let dates = [c.date]
  let series: string | null = null
  if (recurrence) {
    if (!recurrence.until && !recurrence.count) fail('required', '重复活动没有结束：请填写截止日期或重复次数', 'until')
    if (recurrence.until && recurrence.until < c.date) fail('date_order', `重复截止日期（${recurrence.until}）早于第一次活动（${c.date}）`, 'until')
    if (recurrence.count != null && recurrence.count < 1) fail('invalid_value', '重复次数至少为1', 'count')
    dates = previewDates(c.date, recurrence, recurrence.count ?? 1000)
    series = newId()
  }
  const ts = now()
  const made = dates.map((date): Activity => ({ id: newId(), ...c, date, status: 'planned', status_reason: '', series_id: series, created_at: ts, updated_at: ts }))
  db.activities.push(...made)
  return saved(db, made)
}

export function findActivity(db: PlanningDb, id: string, fail: Fail): Activity {
  const a = db.activities.find((x) => x.id === id)
  if (!a) fail('not_found', `找不到活动（${id}），可能已被删除`)
  return a
}

export function updateActivity(db: PlanningDb, id: string, input: ActivityInput, scope: 'this' | 'following', fail: Fail): ActivitySaved {
  const current = findActivity(db, id, fail)
  const c = checkActivity(db, input, fail)
  const shift = daysBetween(current.date, c.date)
  const targets = current.series_id && scope === 'following' ? db.activities.filter((a) => a.series_id === current.series_id && a.date >= current.date) : [current]
  for (const t of targets) Object.assign(t, c, { date: addDays(t.date, shift), updated_at: now() })
  return saved(db, [current])
}

export function listActivities(db: PlanningDb, f: Record<string, string | null | undefined>): Activity[] {
  const s = (f.search ?? '').trim()
  return db.activities
    .filter(
      (a) =>
        (!f.from || a.date >= f.from) &&
        (!f.to || a.date <= f.to) &&
        (!f.campaign_id || a.campaign_ids.includes(f.campaign_id)) &&
        (!f.unit_id || a.unit_id === f.unit_id) &&
        (!f.person_id || a.lead_person_id === f.person_id) &&
        (!f.audience || a.audiences.includes(f.audience as Activity['audiences'][number])) &&
        (!f.format || a.formats.includes(f.format as Activity['formats'][number])) &&
        (!f.status || a.status === f.status) &&
        (!s || a.title.includes(s) || a.venue.includes(s) || (a.unit_name ?? '').includes(s)),
    )
    .sort((a, b) => (a.date + (a.start_time ?? '') + a.title).localeCompare(b.date + (b.start_time ?? '') + b.title))
}

export function coverageOf(db: PlanningDb, campaignId: string, fail: Fail): Coverage {
  const c = db.campaigns.find((x) => x.id === campaignId)
  if (!c) fail('not_found', `找不到活动专项（${campaignId}）`)
  const acts = db.activities.filter((a) => a.campaign_ids.includes(c.id) && counts(a))
  // As the core: a campaign held only in schools (or, empty, for students only) counts schools.
  const kindOf = (a: Activity) => db.units.find((u) => u.id === a.unit_id)?.kind
  const inSchools = acts.filter((a) => kindOf(a) === 'school').length
  const elsewhere = acts.filter((a) => a.unit_id && kindOf(a) !== 'school').length
  const studentsOnly = c.audiences.length > 0 && c.audiences.every((a) => a === 'students' || a === 'teachers_parents')
  const scope = (inSchools > 0 && elsewhere === 0) || (inSchools + elsewhere === 0 && studentsOnly) ? 'schools' : 'villages'
  const units = db.units.filter((u) => !u.archived && (scope === 'schools' ? u.kind === 'school' : u.kind === 'village' || u.kind === 'community'))
  const rows = units.map((u) => ({ unit_id: u.id, name: u.name, kind: u.kind, activities: acts.filter((a) => a.unit_id === u.id).length }))
  return { campaign_id: c.id, campaign_name: c.name, scope, total: units.length, covered: rows.filter((r) => r.activities > 0), missing: rows.filter((r) => r.activities === 0) }
}

// ---- plans and templates ----

function newCampaign(db: PlanningDb, c: Omit<Campaign, 'id' | 'archived' | 'created_at' | 'updated_at'>): Campaign {
  const ts = now()
  // The id last: a copied campaign must not keep its source's id.
  const made: Campaign = { ...c, id: newId(), archived: false, created_at: ts, updated_at: ts }
  db.campaigns.push(made)
  return made
}

/** The mock's 生成年度计划: campaigns only (the core also places each template's activities). */
export function generatePlan(db: PlanningDb, year: number, ticked: string[], fail: Fail): PlanGenerated {
  const all = keydatesFor(db, year, fail)
  const standard = ticked.length ? [] : all.filter((k) => k.standard)
  const nodes = ticked.length ? ticked : standard.map((k) => k.code)
  const created: Campaign[] = []
  const skipped: string[] = []
  for (const code of nodes) {
    const k = all.find((x) => x.code === code)
    if (!k) fail('not_found', `普法节点“${code}”在 ${year} 年不存在`, 'nodes')
    if (db.campaigns.some((c) => c.nodes.includes(code) && c.start_date <= `${year}-12-31` && c.end_date >= `${year}-01-01`)) {
      skipped.push(k.name)
      continue
    }
    const kind: CampaignKind = ['migrant_winter_service', 'spring_breeze', 'wage_arrears_winter', 'first_lesson_spring', 'first_lesson_autumn'].includes(code) ? 'targeted' : k.local ? 'local' : 'national'
    created.push(newCampaign(db, { name: `${year}年${k.name}`, kind, start_date: k.window_start, end_date: k.window_end, audiences: k.audiences, themes: k.laws, lead_unit: '', notes: [k.theme, k.doc_number].filter(Boolean).join('；'), nodes: [code], report_deadline: null }))
  }
  const continuing = db.campaigns.filter((c) => !c.archived && c.start_date < `${year}-01-01` && c.end_date >= `${year}-01-01`)
  return { created, extended: [], skipped, standard: standard.map((k) => k.name), continuing, placed: 0, moved: 0, exceptions: [] }
}

export function copyYear(db: PlanningDb, from: number, to: number, fail: Fail) {
  if (from === to) fail('invalid_value', '请选择不同的年份', 'year')
  const existing = db.campaigns.filter((c) => c.start_date.startsWith(`${to}-`)).map((c) => c.name)
  const source = db.campaigns.filter((c) => c.start_date.startsWith(`${from}-`) && !c.archived)
  const skipped: string[] = []
  let campaigns = 0
  let activities = 0
  const shiftIso = (iso: string) => {
    const s = `${Number(iso.slice(0, 4)) + (to - from)}${iso.slice(4)}`
    return parseIso(s) ? s : `${s.slice(0, 8)}28`
  }
  for (const c of source) {
    const name = c.name.split(String(from)).join(String(to))
    if (existing.includes(name)) {
      skipped.push(name)
      continue
    }
    const made = newCampaign(db, { ...c, name, start_date: shiftIso(c.start_date), end_date: shiftIso(c.end_date) })
    campaigns++
    for (const a of db.activities.filter((x) => x.campaign_ids.includes(c.id))) {
      const ts = now()
      db.activities.push({ ...a, id: newId(), title: a.title.split(String(from)).join(String(to)), date: shiftIso(a.date), campaign_ids: [made.id], status: 'planned', status_reason: '', series_id: null, created_at: ts, updated_at: ts })
      activities++
    }
  }
  return { campaigns, activities, skipped, moved: 0, exceptions: [] }
}

export function templates(db: PlanningDb): PlanTemplate[] {
  return [...fixtures.templates, ...[...db.templates].sort((a, b) => a.name.localeCompare(b.name))]
}

export function saveTemplate(db: PlanningDb, t: PlanTemplate, fail: Fail): PlanTemplate {
  const name = t.name.trim()
  if (!name) fail('required', '名称不能为空', 'name')
  if (!t.campaign_name.trim()) fail('required', '活动专项名称不能为空', 'campaign_name')
  if (!t.activity.title.trim()) fail('required', '活动名称不能为空', 'title')
  if (fixtures.templates.some((b) => b.name === name)) fail('duplicate', `“${name}”是内置模板的名称，请换一个名称`, 'name')
  const existing = db.templates.find((x) => x.key === t.key)
  if (db.templates.some((x) => x.name === name && x.key !== t.key)) fail('duplicate', `已有名为“${name}”的模板`, 'name')
  const saved: PlanTemplate = { ...t, name, key: existing ? existing.key : newId(), builtin: false }
  db.templates = [...db.templates.filter((x) => x.key !== saved.key), saved]
  return saved
}

export function applyTemplate(db: PlanningDb, key: string, year: number, unitIds: string[], all: boolean, fail: Fail) {
  const t = templates(db).find((x) => x.key === key || x.name === key)
  if (!t) fail('not_found', `找不到模板“${key}”`, 'template')
  if (!all && !unitIds.length) fail('required', '请选择至少一个村/单位', 'units')
  const units = all
    ? db.units.filter((u) => !u.archived && t.unit_kinds.includes(u.kind))
    : unitIds.map((id) => db.units.find((u) => u.id === id || u.name === id) ?? fail('not_found', `找不到村/单位“${id}”`, 'units'))
  const dates = keydatesFor(db, year, fail).filter((k) => t.nodes.includes(k.code))
  if (!dates.length) fail('invalid_value', `模板“${t.name}”的普法节点在 ${year} 年没有日期`, 'year')
  const start = dates.map((k) => (t.use_window ? k.window_start : k.start)).sort()[0]
  const end = dates.map((k) => (t.use_window ? k.window_end : k.end)).sort().slice(-1)[0]
  const campaign = newCampaign(db, { name: t.campaign_name.replace('{year}', String(year)), kind: t.campaign_kind as CampaignKind, start_date: start, end_date: end, audiences: t.audiences as Campaign['audiences'], themes: t.themes, lead_unit: '', notes: `由模板“${t.name}”生成`, nodes: t.nodes, report_deadline: null })
  const off = daysOff(db, year)
  const days: string[] = []
  for (let d = start; d <= end; d = addDays(d, 1)) if (!off.has(d)) days.push(d)
  if (!days.length) days.push(start)
  const ts = now()
  const made = units.map((u, i): Activity => ({
    id: newId(),
    title: t.activity.title.replace('{unit}', u.name),
    date: days[Math.floor((i * days.length) / Math.max(units.length, 1))],
    start_time: t.activity.start_time,
    end_time: t.activity.end_time,
    unit_id: u.id,
    unit_name: u.name,
    venue_type: t.activity.venue_type as Activity['venue_type'],
    venue: '',
    formats: t.activity.formats as Activity['formats'],
    audiences: t.activity.audiences as Activity['audiences'],
    laws: t.activity.laws,
    campaign_ids: [campaign.id],
    nodes: t.nodes,
    lead_person_id: null,
    lead_person_name: null,
    partners: t.activity.partners,
    materials: t.activity.materials,
    expected_audience: t.activity.expected_audience,
    status: 'planned',
    status_reason: '',
    series_id: null,
    notes: '',
    created_at: ts,
    updated_at: ts,
  }))
  db.activities.push(...made)
  return { campaign, activities: made, conflicts: conflictsAmong(db, made) }
}

/** The slim row the calendar grid gets (`activity_calendar`). */
export function calendarItem(a: Activity): CalendarItem {
  const { id, title, date, start_time, end_time, unit_id, unit_name, status, series_id } = a
  return { id, title, date, start_time, end_time, unit_id, unit_name, status, series_id }
}
