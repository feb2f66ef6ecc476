// DEV ONLY: an in-memory stand-in for the Rust core, so `npm run dev` in a plain browser shows
// working screens. Loaded by main.ts only when import.meta.env.DEV and there is no Tauri.
// ?mock-reset starts afresh, ?mock-demo with the demo town loaded.
// It mimics the core's answers and a few of its checks; it is not the source of truth.
import { mockIPC } from '@tauri-apps/api/mocks'
import type { AppError } from '../bindings/AppError'
import type { AppInfo } from '../bindings/AppInfo'
import type { Audience } from '../bindings/Audience'
import type { Campaign } from '../bindings/Campaign'
import type { CampaignInput } from '../bindings/CampaignInput'
import type { CampaignKind } from '../bindings/CampaignKind'
import type { Person } from '../bindings/Person'
import type { PersonInput } from '../bindings/PersonInput'
import type { PersonRole } from '../bindings/PersonRole'
import type { Request } from '../bindings/Request'
import type { Town } from '../bindings/Town'
import type { Unit } from '../bindings/Unit'
import type { UnitInput } from '../bindings/UnitInput'
import type { UnitKind } from '../bindings/UnitKind'
import type { UserInput } from '../bindings/UserInput'
import type { UserProfile } from '../bindings/UserProfile'
import type { UserRole } from '../bindings/UserRole'
import type { Activity } from '../bindings/Activity'
import type { HolidayDay } from '../bindings/HolidayDay'
import type { KeyDateNode } from '../bindings/KeyDateNode'
import type { PlanTemplate } from '../bindings/PlanTemplate'
import { parseIso, toIso as toLocalIso } from '../lib/dates'
import { splitList } from '../lib/lists'
import * as plan from './mock-planning'
import { handleRecords, mockOpenDialog, NOT_MINE, resetRecords } from './mock-records'
import type { BackupInfo } from '../bindings/BackupInfo'
import type { ImportPreview } from '../bindings/ImportPreview'
import type { SyncConflict } from '../bindings/SyncConflict'
import { mockPivot } from './mock-pivot'
import type { PivotRequest } from '../bindings/PivotRequest'
import type { ActivityRecord } from '../lib/records'

const LABELS: Record<string, string> = {
  town: '乡镇名称',
  villages: '村/社区',
  name: '名称',
  user_name: '使用人姓名',
  start_date: '开始日期',
  end_date: '结束日期',
}

function fail(code: AppError['code'], message: string, field: string | null = null): never {
  throw { code, message, field } satisfies AppError
}

function required(field: string, v: string | null | undefined): string {
  const s = (v ?? '').trim()
  if (!s) fail('required', `${LABELS[field] ?? field}不能为空`, field)
  return s
}

const now = () => new Date().toISOString()
let n = 0
const id = () => `dev-${(++n).toString(36)}-${Math.random().toString(36).slice(2, 8)}`

interface Db {
  town: Town | null
  user: UserProfile | null
  locale: string
  units: Unit[]
  people: Person[]
  campaigns: Campaign[]
  activities: Activity[]
  overrides: plan.PlanningDb['overrides']
  localNodes: KeyDateNode[]
  templates: PlanTemplate[]
  holidays: Record<string, HolidayDay[]>
  ignored: string[]
}

const KEY = 'pufa-dev-mock'
function loadDb(): Db {
  try {
    const raw = localStorage.getItem(KEY)
    if (raw) return { ...empty(), ...(JSON.parse(raw) as Db) }
  } catch {
    /* fresh */
  }
  return empty()
}
function empty(): Db {
  return {
    town: null,
    user: null,
    locale: 'zh-CN',
    units: [],
    people: [],
    campaigns: [],
    activities: [],
    overrides: {},
    localNodes: [],
    templates: [],
    holidays: {},
    ignored: [],
  }
}
let db = loadDb()
const persist = () => localStorage.setItem(KEY, JSON.stringify(db))

function info(): AppInfo {
  return {
    initialized: !!db.town,
    town: db.town,
    county_rollup: false,
    user: db.user,
    locale: db.locale,
    data_dir: '/home/dev/.local/share/pufa-planner.dev',
    device_id: 'dev-mock',
    schema_version: 1,
    version: '0.0.0-dev',
  }
}

function needTown(): void {
  if (!db.town) fail('not_initialized', '尚未设置乡镇：请先完成首次设置')
}

function unitKindFor(name: string): UnitKind {
  return name.endsWith('社区') ? 'community' : 'village'
}

function addUnit(kind: UnitKind, name: string, address = '', notes = '', market_days: Unit['market_days'] = null): Unit {
  const ts = now()
  const u: Unit = { id: id(), kind, name, address, notes, market_days, archived: false, created_at: ts, updated_at: ts }
  db.units.push(u)
  return u
}

function setUser(input: UserInput): void {
  const name = required('user_name', input.name)
  let unit: Unit | undefined
  if (input.role === 'village_cadre') {
    unit = db.units.find((u) => u.name === input.village || u.id === input.village)
    if (!unit) fail('required', '村干部请选择所在的村/社区', 'unit_id')
  }
  db.user = {
    id: db.user?.id ?? id(),
    name,
    role: input.role as UserRole,
    unit_id: unit?.id ?? null,
    unit_name: unit?.name ?? null,
  }
}

function checkCampaign(input: CampaignInput): Omit<Campaign, 'id' | 'archived' | 'created_at' | 'updated_at'> {
  const name = required('name', input.name)
  required('start_date', input.start_date)
  required('end_date', input.end_date)
  if (!parseIso(input.start_date)) fail('invalid_date', `开始日期“${input.start_date}”不是有效日期`, 'start_date')
  if (!parseIso(input.end_date)) fail('invalid_date', `结束日期“${input.end_date}”不是有效日期`, 'end_date')
  if (input.end_date < input.start_date) fail('date_order', '结束日期不能早于开始日期', 'end_date')
  return {
    name,
    kind: input.kind as CampaignKind,
    start_date: input.start_date,
    end_date: input.end_date,
    audiences: input.audiences as Audience[],
    themes: input.themes.flatMap(splitList),
    lead_unit: input.lead_unit ?? '',
    notes: input.notes ?? '',
    nodes: input.nodes ?? [],
    report_deadline: input.report_deadline ?? null,
  }
}

function findOr404<T extends { id: string }>(list: T[], key: string, what: string): T {
  const x = list.find((i) => i.id === key)
  if (!x) fail('not_found', `找不到${what}（${key}），可能已被删除`)
  return x
}

function checkUnit(input: UnitInput, except?: string) {
  const name = required('name', input.name)
  if (db.units.some((u) => u.name === name && u.id !== except)) fail('duplicate', `“${name}”已存在`, 'name')
  return { kind: input.kind as UnitKind, name, address: input.address ?? '', notes: input.notes ?? '', market_days: marketCycle(input.market_days) }
}

/** "农历1/4/7" as the core reads it (the mock knows digits and 农历/公历 only). */
function marketCycle(text: string | null): Unit['market_days'] {
  const t = (text ?? '').trim()
  if (!t) return null
  const digits = [...new Set((t.match(/\d/g) ?? []).map(Number))].sort((a, b) => a - b)
  if (!digits.length) fail('invalid_value', `赶集日“${t}”无法识别，请写成“农历1/4/7”或“公历2/5/8”（逢几赶集）`, 'market_days')
  return { lunar: !/^(公历|阳历|新历)/.test(t), digits }
}

function checkPerson(input: PersonInput) {
  const name = required('name', input.name)
  const phone = (input.phone ?? '').trim()
  if (phone && !/^[0-9 \-+()]+$/.test(phone)) fail('invalid_value', `电话“${phone}”只能包含数字、空格、“-”和“+”`, 'phone')
  const unit = input.unit_id ? db.units.find((u) => u.id === input.unit_id || u.name === input.unit_id) : undefined
  return { name, role: input.role as PersonRole, phone, unit_id: unit?.id ?? null, unit_name: unit?.name ?? null, notes: input.notes ?? '' }
}

function demo(): AppInfo {
  if (db.town) fail('already_initialized', '这台电脑已经设置过乡镇，数据未改动')
  // The real core's demo town (dumped by gen-fixtures.sh): 21 villages, schools, people,
  // a year of campaigns and planned activities.
  const fx = plan.fixtures
  db.town = { ...fx.info.town }
  db.units = fx.units.map((u) => ({ ...u }))
  db.people = fx.people.map((p) => ({ ...p }))
  db.campaigns = fx.campaigns.map((c) => ({ ...c }))
  db.activities = fx.activities.map((a) => ({ ...a }))
  db.user = { id: id(), name: '李明', role: 'coordinator', unit_id: null, unit_name: null }
  return info()
}

function handle(req: Request): unknown {
  switch (req.cmd) {
    case 'app_info':
      return info()
    case 'set_locale':
      if (!['zh-CN', 'en'].includes(req.args.locale)) fail('invalid_value', '不支持的界面语言', 'locale')
      db.locale = req.args.locale
      return info()
    case 'setup': {
      if (db.town) fail('already_initialized', '这台电脑已经设置过乡镇，数据未改动')
      const a = req.args
      const town = required('town', a.town)
      const villages = a.villages.flatMap(splitList)
      if (!villages.length) fail('required', '请至少填写一个村或社区', 'villages')
      const all = [...villages, ...a.schools.flatMap(splitList), ...a.sites.flatMap(splitList)]
      const dup = all.find((x, i) => all.indexOf(x) !== i)
      if (dup) fail('duplicate', `“${dup}”重复出现，每个村/社区、学校或场所只能填一次`, villages.includes(dup) ? 'villages' : 'schools')
      const ts = now()
      const snapshot = JSON.stringify(db)
      db.town = { id: id(), name: town, county: (a.county ?? '').trim(), created_at: ts, updated_at: ts }
      villages.forEach((v) => addUnit(unitKindFor(v), v))
      a.schools.flatMap(splitList).forEach((v) => addUnit('school', v))
      a.sites.flatMap(splitList).forEach((v) => addUnit('site', v))
      try {
        if (a.user) setUser(a.user)
      } catch (e) {
        db = JSON.parse(snapshot) as Db
        throw e
      }
      return info()
    }
    case 'load_demo':
      return demo()
    case 'update_user':
      needTown()
      setUser(req.args)
      return info()
    case 'unit_list': {
      needTown()
      const f = req.args
      return db.units.filter(
        (u) => (!f.kind || u.kind === f.kind) && (!f.search || u.name.includes(f.search)) && (f.include_archived || !u.archived),
      )
    }
    case 'unit_create': {
      needTown()
      const u = checkUnit(req.args)
      return addUnit(u.kind, u.name, u.address, u.notes, u.market_days)
    }
    case 'unit_update': {
      const u = findOr404(db.units, req.args.id, '单位')
      Object.assign(u, checkUnit(req.args.input, u.id), { updated_at: now() })
      return u
    }
    case 'unit_archive': {
      const u = findOr404(db.units, req.args.id, '单位')
      u.archived = req.args.archived
      return u
    }
    case 'unit_delete':
      findOr404(db.units, req.args.id, '单位')
      db.units = db.units.filter((u) => u.id !== req.args.id)
      return { deleted: req.args.id }
    case 'person_list': {
      needTown()
      const f = req.args
      return db.people.filter(
        (p) =>
          (!f.role || p.role === f.role) &&
          (!f.unit_id || p.unit_id === f.unit_id) &&
          (!f.search || p.name.includes(f.search) || p.phone.includes(f.search) || (p.unit_name ?? '').includes(f.search)) &&
          (f.include_archived || !p.archived),
      )
    }
    case 'person_create': {
      needTown()
      const ts = now()
      const p: Person = { id: id(), ...checkPerson(req.args), archived: false, created_at: ts, updated_at: ts }
      db.people.push(p)
      return p
    }
    case 'person_update': {
      const p = findOr404(db.people, req.args.id, '人员')
      Object.assign(p, checkPerson(req.args.input), { updated_at: now() })
      return p
    }
    case 'person_archive': {
      const p = findOr404(db.people, req.args.id, '人员')
      p.archived = req.args.archived
      return p
    }
    case 'person_delete':
      findOr404(db.people, req.args.id, '人员')
      db.people = db.people.filter((p) => p.id !== req.args.id)
      return { deleted: req.args.id }
    case 'campaign_list': {
      needTown()
      const f = req.args
      const s = (f.search ?? '').trim()
      return db.campaigns
        .filter(
          (c) =>
            (!f.kind || c.kind === f.kind) &&
            (!f.audience || c.audiences.includes(f.audience as Audience)) &&
            (f.year == null || (c.end_date >= `${f.year}-01-01` && c.start_date <= `${f.year}-12-31`)) &&
            (!s || c.name.includes(s) || c.themes.some((t) => t.includes(s)) || c.lead_unit.includes(s) || c.notes.includes(s)) &&
            (f.status === 'all' || c.archived === (f.status === 'archived')),
        )
        .sort((a, b) => (a.start_date + a.end_date + a.name).localeCompare(b.start_date + b.end_date + b.name))
    }
    case 'campaign_get':
      return findOr404(db.campaigns, req.args.id, '活动专项')
    case 'campaign_create': {
      needTown()
      const ts = now()
      const c: Campaign = { id: id(), ...checkCampaign(req.args), archived: false, created_at: ts, updated_at: ts }
      db.campaigns.push(c)
      return c
    }
    case 'campaign_update': {
      const c = findOr404(db.campaigns, req.args.id, '活动专项')
      Object.assign(c, checkCampaign(req.args.input), { updated_at: now() })
      return c
    }
    case 'campaign_archive': {
      const c = findOr404(db.campaigns, req.args.id, '活动专项')
      c.archived = req.args.archived
      return c
    }
    case 'campaign_delete':
      findOr404(db.campaigns, req.args.id, '活动专项')
      db.campaigns = db.campaigns.filter((c) => c.id !== req.args.id)
      return { deleted: req.args.id }
    case 'keydate_list':
      needTown()
      return plan.keydatesFor(db, req.args.year, fail)
    case 'keydate_override_set': {
      const a = req.args
      const k = plan.keydatesFor(db, a.year, fail).find((x) => x.code === a.node_code)
      if (!k) fail('not_found', `找不到普法节点（${a.node_code}）`)
      const s = a.start_date || null
      const e = a.end_date || null
      if (s && !e) fail('required', '请同时填写结束日期', 'end_date')
      if (!s && e) fail('required', '请同时填写开始日期', 'start_date')
      if (s && e && e < s) fail('date_order', '结束日期不能早于开始日期', 'end_date')
      db.overrides[`${a.node_code}:${a.year}`] = { start_date: s, end_date: e, theme: a.theme ?? '', doc_number: a.doc_number ?? '' }
      return plan.keydatesFor(db, a.year, fail).find((x) => x.code === a.node_code)
    }
    case 'keydate_override_clear':
      delete db.overrides[`${req.args.node_code}:${req.args.year}`]
      return plan.keydatesFor(db, req.args.year, fail)
    case 'keydate_node_list':
      return plan.nodeList(db)
    case 'keydate_node_create': {
      needTown()
      const node = plan.checkLocalNode(db, req.args, id(), fail)
      db.localNodes.push(node)
      return node
    }
    case 'keydate_node_update': {
      const i = db.localNodes.findIndex((x) => x.code === req.args.id)
      if (i < 0) fail('not_found', `找不到本地节点（${req.args.id}）`)
      db.localNodes[i] = plan.checkLocalNode(db, req.args.input, req.args.id, fail)
      return db.localNodes[i]
    }
    case 'keydate_node_delete':
      if (!db.localNodes.some((x) => x.code === req.args.id)) fail('not_found', `找不到本地节点（${req.args.id}）`)
      db.localNodes = db.localNodes.filter((x) => x.code !== req.args.id)
      return { deleted: req.args.id }
    case 'activity_list':
      needTown()
      return plan.listActivities(db, req.args)
    case 'activity_calendar':
      needTown()
      return plan.listActivities(db, req.args).map(plan.calendarItem)
    case 'activity_get':
      return plan.findActivity(db, req.args.id, fail)
    case 'activity_create':
      needTown()
      return plan.createActivities(db, req.args.input, req.args.recurrence ?? null, fail)
    case 'activity_update':
      return plan.updateActivity(db, req.args.id, req.args.input, req.args.scope, fail)
    case 'activity_reschedule': {
      const a = plan.findActivity(db, req.args.id, fail)
      if (!parseIso(req.args.date)) fail('invalid_date', `日期“${req.args.date}”不是有效日期`, 'date')
      Object.assign(a, { date: req.args.date, start_time: req.args.start_time ?? null, end_time: req.args.end_time ?? null, updated_at: now() })
      return { activities: [a], conflicts: plan.conflictsAmong(db, [a]) }
    }
    case 'activity_set_status': {
      const a = plan.findActivity(db, req.args.id, fail)
      const reason = (req.args.reason ?? '').trim()
      if ((req.args.status === 'cancelled' || req.args.status === 'postponed') && !reason)
        fail('required', `标记为“${req.args.status === 'cancelled' ? '已取消' : '已延期'}”时请填写原因`, 'status_reason')
      Object.assign(a, { status: req.args.status, status_reason: reason, updated_at: now() })
      return a
    }
    case 'activity_delete': {
      const a = plan.findActivity(db, req.args.id, fail)
      const gone = a.series_id && req.args.scope === 'following'
        ? db.activities.filter((x) => x.series_id === a.series_id && x.date >= a.date).map((x) => x.id)
        : [a.id]
      db.activities = db.activities.filter((x) => !gone.includes(x.id))
      return { deleted: gone }
    }
    case 'conflict_list': {
      const y = String(req.args.year)
      return plan.conflictsAmong(db, db.activities.filter((a) => a.date.startsWith(y)))
    }
    case 'conflicts_for_activity': {
      const a = plan.findActivity(db, req.args.id, fail)
      return plan.conflictsAmong(db, [a])
    }
    case 'conflict_ignore':
      plan.setIgnored(db, req.args.kind, req.args.a, req.args.b, req.args.ignored)
      return { ok: true }
    case 'coverage':
      return plan.coverageOf(db, req.args.campaign_id, fail)
    case 'holiday_list':
      return plan.holidayYear(db, req.args.year)
    case 'holiday_set_year': {
      const y = req.args.year
      for (const [i, d] of req.args.days.entries()) {
        if (!parseIso(d.date)) fail('invalid_date', `第${i + 1}行：日期“${d.date}”不是有效日期`, 'date')
        if (!d.date.startsWith(`${y}-`)) fail('invalid_value', `第${i + 1}行：${d.date} 不在 ${y} 年`, 'date')
      }
      if (req.args.days.length) db.holidays[String(y)] = [...req.args.days].sort((a, b) => a.date.localeCompare(b.date))
      else delete db.holidays[String(y)]
      return plan.holidayYear(db, y)
    }
    case 'template_list':
      return plan.templates(db)
    case 'template_save':
      return plan.saveTemplate(db, req.args, fail)
    case 'template_delete':
      if (plan.fixtures.templates.some((t) => t.key === req.args.key)) fail('invalid_value', '内置模板不能删除', 'template')
      db.templates = db.templates.filter((t) => t.key !== req.args.key)
      return { deleted: req.args.key }
    case 'template_apply':
      needTown()
      return plan.applyTemplate(db, req.args.template, req.args.year, req.args.unit_ids, req.args.all_units, fail)
    case 'plan_generate':
      needTown()
      return plan.generatePlan(db, req.args.year, req.args.nodes, fail)
    case 'plan_copy_year':
      needTown()
      return plan.copyYear(db, req.args.from_year, req.args.to_year, fail)
    case 'export_ics': {
      const cid = req.args.campaign_id
      return { path: req.args.path, count: db.activities.filter((a) => !cid || a.campaign_ids.includes(cid)).length }
    }
    case 'export_plan_xlsx': {
      const y = String(req.args.year)
      return { path: req.args.path, count: db.activities.filter((a) => a.date.startsWith(y)).length }
    }
    // Word reports: the text blocks kept in memory; the "file" is only a name in the browser.
    case 'report_text_get': {
      const saved = reportTexts.get(`${req.args.kind}:${req.args.scope}`)
      return saved ?? { kind: req.args.kind, scope: req.args.scope, year: Number(req.args.scope) || new Date().getFullYear(), practices: '', problems: '', plans: '', issuer: '', updated_at: null, from_last_year: false }
    }
    case 'report_text_save': {
      const a = req.args
      for (const f of ['practices', 'problems', 'plans'] as const) if (a[f].length > 5000) fail('too_long', '这一段不能超过 5000 字', f)
      const text = { ...a, year: Number(a.scope) || new Date().getFullYear(), updated_at: new Date().toISOString(), from_last_year: false }
      reportTexts.set(`${a.kind}:${a.scope}`, text)
      return text
    }
    case 'export_report_docx':
    case 'export_campaign_docx':
      return { path: req.args.path, paragraphs: 40, tables: 3, activities: 0, pending: 0 }
    case 'export_audit_xlsx': {
      // The trail lives in the records part of the mock: one row per changed field (at least one).
      const { since, until } = req.args
      for (const [field, v] of [['start_date', since], ['end_date', until]] as const)
        if (v && !parseIso(v)) fail('invalid_date', `${LABELS[field]}“${v}”不是有效日期，请写成 2026-12-04 这样的格式`, field)
      if (since && until && until < since) fail('date_order', `结束日期（${until}）早于开始日期（${since}）`, 'end_date')
      const trail = handleRecords({ cmd: 'audit_list', args: { entity: null, entity_id: null, since: null, limit: null } }, db) as {
        at: string
        changes: Record<string, unknown>
      }[]
      const day = (at: string) => toLocalIso(new Date(at))
      const rows = trail
        .filter((e) => (!since || day(e.at) >= since) && (!until || day(e.at) <= until))
        .reduce((n, e) => n + Math.max(1, Object.keys(e.changes ?? {}).length), 0)
      return { path: req.args.path, count: rows }
    }
    // The 透视表 from the records part of the mock; the "file" is only a name in the browser.
    case 'pivot':
      return pivotOf(req.args)
    case 'export_pivot_xlsx':
      return { path: req.args.path, count: pivotOf(req.args.request).row_labels.length }
    case 'check':
      return {
        ok: true,
        problems: [],
        schema_version: 1,
        towns: db.town ? 1 : 0,
        units: db.units.length,
        people: db.people.length,
        campaigns: db.campaigns.length,
      }
    // Backups: descriptions only (the browser keeps no files); a restore changes nothing here.
    case 'backup_create': {
      const made = mockBackup(req.args.path, 'manual')
      mockBackups.set(made.path, made)
      return made
    }
    case 'backup_list':
      return [...mockBackups.values()].filter((b) => b.kind !== 'manual').reverse()
    // Excel import: the browser reads no files, so every sheet "holds" the same three rows.
    case 'import_template':
      needTown()
      return { path: req.args.path }
    case 'import_preview':
      needTown()
      return mockImportPreview()
    case 'import_xlsx': {
      needTown()
      const p = mockImportPreview()
      return { valid: p.valid, imported: p.valid, duplicates: p.duplicates, error_rows: p.error_rows, errors: p.errors, warnings: p.warnings }
    }
    case 'package_export': {
      needTown()
      const counts = { towns: 1, units: db.units.length, persons: 0, materials: 0, stores: 0, movements: 0, campaigns: db.campaigns.length, series: 0, activities: 0, records: 3, attachments: 0, tombstones: 0, files: 0 }
      return { path: req.args.path, package_id: 'mock-package', bytes: 20480, counts, since_last: req.args.scope.since_last, village: req.args.scope.village }
    }
    case 'package_import': {
      needTown()
      if (!req.args.path.endsWith('.pufapkg')) fail('file_rejected', `“${req.args.path}”不是普法台账数据包`, 'path')
      const conflict = mockConflict()
      mockConflicts.unshift(conflict)
      const entities = [{ entity: 'record', label: '活动记录', added: 2, updated: 1, unchanged: 5, deleted: 0, conflicts: 1 }]
      return { package_id: 'mock-package', town: db.town?.name ?? '', from_device: 'mock-device', created_at: new Date().toISOString(), adopted_town: false, added: 2, updated: 1, unchanged: 5, deleted: 0, conflicts: 1, matched: 0, files: 0, maker: '安静村的电脑（王五）', out_of_scope: 0, entities }
    }
    case 'sync_conflict_list':
      return mockConflicts
    case 'sync_conflict_resolve': {
      const c = mockConflicts.find((x) => x.id === req.args.id)
      if (!c) fail('not_found', '找不到这个同步冲突')
      if (c.kept) fail('invalid_value', '这个冲突已经处理过了')
      c.kept = req.args.keep
      c.resolved_at = new Date().toISOString()
      return c
    }
    case 'backup_inspect':
    case 'backup_restore': {
      const known = mockBackups.get(req.args.path)
      if (known) return known
      if (!req.args.path.endsWith('.pufabak')) fail('file_rejected', `“${req.args.path}”不是可用的普法台账备份：文件已损坏或不是备份文件`, 'path')
      return mockBackup(req.args.path, 'manual')
    }
  }
  // Materials, records, review, attachments, drafts, audit: the records part of the mock.
  const theirs = handleRecords(req, db)
  if (theirs !== NOT_MINE) return theirs
  fail('bad_request', `unknown command ${req.cmd}`)
}


function pivotOf(request: PivotRequest) {
  needTown()
  const records = handleRecords({ cmd: 'record_list', args: { from: null, to: null, unit_id: null, campaign_id: null, review_status: null, search: null } }, db) as ActivityRecord[]
  return mockPivot(records, db.units, db.campaigns, request)
}

const mockConflicts: SyncConflict[] = []

/** A record both laptops edited: the title and the count differ. */
function mockConflict(): SyncConflict {
  const unit = db.units[0]?.id ?? null
  const row = (title: string, participants: number) => ({ title, date: '2026-11-20', unit_id: unit, participants, formats: '["courtyard_meeting"]', hlc: String(participants) })
  return {
    id: `mock-conflict-${mockConflicts.length + 1}`,
    entity: 'record',
    entity_label: '活动记录',
    entity_id: 'mock-record',
    title: '宪法进院坝',
    local: row('宪法进院坝', 60),
    incoming: row('宪法进院坝（村里修改）', 65),
    local_deleted: false,
    incoming_deleted: false,
    winner: 'incoming',
    created_at: new Date().toISOString(),
    resolved_at: null,
    kept: null,
    reason: null,
  }
}

function mockImportPreview(): ImportPreview {
  const village = db.units[0]?.name ?? '安静村'
  const errors = [{ row: 5, column: '日期', message: '第5行“日期”：“2026-13-45”不是有效日期' }]
  return {
    valid: 2,
    duplicates: 1,
    error_rows: 1,
    errors,
    warnings: [{ row: 4, column: '受众人次', message: '第4行“受众人次”：“200余”按200计（约数）' }],
    rows: [
      { row: 3, date: '2026-11-03', unit: village, title: '反诈宣传进院坝', participants: 60, reach: 80, status: 'valid' },
      { row: 4, date: '2026-11-05', unit: village, title: '民法典讲座', participants: 45, reach: 200, status: 'valid' },
      { row: 5, date: '2026-13-45', unit: village, title: '日期写错的一场', participants: 30, reach: 30, status: 'error' },
      { row: 6, date: '2026-10-20', unit: village, title: '宪法宣传', participants: 50, reach: 50, status: 'duplicate' },
    ],
    sheet: '活动登记',
    header_row: 2,
    ignored_columns: [],
  }
}

/** Backups the dev mock has "made", by path (today's daily one from the start). */
const mockBackups = new Map<string, BackupInfo>()

function mockBackup(path: string, kind: BackupInfo['kind']): BackupInfo {
  const records = handleRecords({ cmd: 'record_list', args: { from: null, to: null, unit_id: null, campaign_id: null, review_status: null, search: null } }, db) as ActivityRecord[]
  const dates = records.map((r) => r.date).sort()
  return {
    path,
    file_name: path.split(/[\\/]/).pop() ?? path,
    kind,
    created_at: new Date().toISOString(),
    bytes: 200_000 + records.length * 2_000,
    town: db.town?.name ?? '',
    schema_version: 9,
    records: records.length,
    activities: db.activities.length,
    campaigns: db.campaigns.length,
    attachments: 0,
    first_date: dates[0] ?? null,
    last_date: dates[dates.length - 1] ?? null,
    town_id: '',
    current_town: db.town?.name ?? null,
    other_town: false,
  }
}

/** Saved report text blocks of the dev mock, by "kind:scope". */
const reportTexts = new Map<string, unknown>()
export function installMockBackend(): void {
  // ?mock-error=data_dir_readonly shows the full-page error; ?mock-reset starts afresh.
  const params = new URLSearchParams(window.location.search)
  if (params.has('mock-reset')) {
    localStorage.removeItem(KEY)
    resetRecords()
    db = loadDb()
  }
  // ?mock-demo starts with the demo town already loaded (screenshots, quick looks).
  if (params.has('mock-demo') && !db.town) {
    demo()
    persist()
  }
  // ?mock-noanim turns CSS transitions off (headless screenshots catch them half-way).
  if (params.has('mock-noanim')) {
    const style = document.createElement('style')
    style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }'
    document.head.appendChild(style)
  }
  const broken = params.get('mock-error')
  mockIPC((cmd, args) => {
    // The save dialog the backend shows: answer with a path in a pretend documents folder.
    if (cmd === 'choose_save') {
      const name = (args as { defaultName?: string }).defaultName ?? '导出.xlsx'
      return `/home/dev/文档/${name}`
    }
    // The open dialog the backend shows (attachments, packages …): a pretend file.
    if (cmd === 'choose_open') {
      const picked = mockOpenDialog({ options: args })
      return picked == null ? null : Array.isArray(picked) ? picked : [picked]
    }
    // Long jobs run at once in the mock: no progress to report, nothing to cancel.
    if (cmd === 'cancel_job' || cmd === 'watch_notices') return null
    if (cmd !== 'call' && cmd !== 'call_job') throw `unknown command ${cmd}`
    if (broken) {
      fail(
        broken as AppError['code'],
        `无法写入数据文件夹“/home/dev/.local/share/pufa-planner.dev”：Permission denied (os error 13)。请检查权限或换一个位置`,
        'data_dir',
      )
    }
    const result = handle((args as { request: Request }).request)
    persist()
    // Round-trip through JSON like the real IPC, so screens never share objects with the mock.
    return JSON.parse(JSON.stringify(result ?? null))
  })
  console.info('[pufa] dev mock backend installed (no Tauri)')
}
