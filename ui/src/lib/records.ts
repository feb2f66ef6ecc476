// Activity records (活动记录 / 台账): the form model of the record entry screen and its mapping
// to the core's RecordInput, plus small helpers the list, review and drawer share.
import { quantityText } from './catalogue-text'
import type { ActivityRecord } from '../bindings/ActivityRecord'
import type { RecordTotals } from '../bindings/RecordTotals'
import type { MaterialLine } from '../bindings/MaterialLine'
import type { PersonRole } from '../bindings/PersonRole'
import type { RecordInput } from '../bindings/RecordInput'
import { RECORD_COUNTS } from '../bindings/recordCountFields'

export type { ActivityRecord }
/** A hand-out line of a stored record. */
export type RecordMaterial = MaterialLine

/** The record's optional counts as the core's field table declares them (咨询人次 … 志愿者人次). */
export const OPTIONAL_COUNTS = RECORD_COUNTS.map((c) => c.column)
export type OptionalCount = (typeof RECORD_COUNTS)[number]['column']

/** The counts of a record after 参加人数, in the order the form and the detail show them. */
export const COUNT_FIELDS: readonly CountField[] = ['reach', ...OPTIONAL_COUNTS]
export type CountField = 'reach' | OptionalCount

/** Each optional count as `value` makes it. */
const eachCount = <T>(value: (f: OptionalCount) => T) =>
  Object.fromEntries(OPTIONAL_COUNTS.map((f) => [f, value(f)])) as Record<OptionalCount, T>

/** The six fields a cadre must fill, in form order. */
export const REQUIRED_FIELDS = ['title', 'date', 'unit_id', 'formats', 'participants', 'recorder'] as const
export type RequiredField = (typeof REQUIRED_FIELDS)[number]

/** The narrative's limit (活动简述 ≤ 300 字). */
export const NARRATIVE_MAX = 300

/** One hand-out line of the form: a catalogue item, how many, in which unit. */
export interface MaterialRow {
  material_id: string
  quantity: number | null
  unit: string
}

export interface SpeakerRow {
  name: string
  role: PersonRole
}

export type RecordForm = RecordCountsForm & RecordFormFields
/** The optional counts of the form: empty boxes are null. */
export type RecordCountsForm = Record<OptionalCount, number | null>
export interface RecordFormFields {
  activity_id: string | null
  title: string
  date: string
  unit_id: string
  formats: string[]
  participants: number | null
  recorder: string
  start_time: string
  end_time: string
  venue_type: string
  venue: string
  audiences: string[]
  laws: string[]
  campaign_ids: string[]
  nodes: string[]
  speakers: SpeakerRow[]
  partners: string[]
  reach: number | null
  reach_by_audience: { audience: string; count: number | null }[]
  narrative: string
  materials: MaterialRow[]
  quiz: { questions: number | null; participants: number | null; winners: number | null } | null
}

/** What a new record starts from: the remembered village and recorder, today's date. */
export interface NewRecordDefaults {
  date: string
  unit_id: string
  recorder: string
}

export function blankForm(d: NewRecordDefaults): RecordForm {
  return {
    activity_id: null,
    title: '',
    date: d.date,
    unit_id: d.unit_id,
    formats: [],
    participants: null,
    recorder: d.recorder,
    start_time: '',
    end_time: '',
    venue_type: '',
    venue: '',
    audiences: [],
    laws: [],
    campaign_ids: [],
    nodes: [],
    speakers: [],
    partners: [],
    reach: null,
    reach_by_audience: [],
    ...eachCount(() => null),
    narrative: '',
    materials: [],
    quiz: null,
  }
}

/** 0 in a stored record means "not counted": the form shows an empty box. */
const zeroToNull = (n: number | null | undefined): number | null => (n == null || Number(n) === 0 ? null : Number(n))

/** The form of a stored record (to edit it). */
export function formFromRecord(r: ActivityRecord): RecordForm {
  const counts = Object.fromEntries(COUNT_FIELDS.map((f) => [f, zeroToNull(r[f])])) as Record<CountField, number | null>
  // reach is stored as at least the participants: show it only when it says more.
  if (counts.reach != null && counts.reach === Number(r.participants)) counts.reach = null
  return {
    activity_id: r.activity_id,
    title: r.title,
    date: r.date,
    unit_id: r.unit_id ?? '',
    formats: [...r.formats],
    participants: Number(r.participants),
    recorder: r.recorder,
    start_time: r.start_time ?? '',
    end_time: r.end_time ?? '',
    venue_type: r.venue_type ?? '',
    venue: r.venue,
    audiences: [...r.audiences],
    laws: [...r.laws],
    campaign_ids: [...r.campaign_ids],
    nodes: [...r.nodes],
    speakers: r.speakers.map((s) => ({ name: s.name, role: s.role })),
    partners: [...r.partners],
    ...counts,
    reach_by_audience: Object.entries(r.reach_by_audience ?? {}).map(([audience, count]) => ({ audience, count: Number(count) })),
    narrative: r.narrative,
    materials: r.materials.map((m) => ({ material_id: m.material_id, quantity: Number(m.quantity), unit: m.unit })),
    quiz: r.quiz
      ? { questions: Number(r.quiz.questions), participants: Number(r.quiz.participants), winners: Number(r.quiz.winners) }
      : null,
  }
}

/**
 * "复制上一条": every field of the last record except its date (today instead), its link to a
 * planned activity (that one is done), and what belongs to that day only: the counts (people,
 * reach, consultations, online views …) and the narrative. Materials keep their items and units
 * but not how many were handed out.
 */
export function copyOfRecord(r: ActivityRecord, today: string): RecordForm {
  const f = formFromRecord(r)
  return {
    ...f,
    activity_id: null,
    date: today,
    participants: null,
    reach: null,
    reach_by_audience: f.reach_by_audience.map((x) => ({ ...x, count: null })),
    // Banners, boards, vehicles and posts are often the same again; the rest is counted anew.
    ...eachCount((c) => (['banners', 'boards', 'vehicles', 'online_posts'].includes(c) ? f[c] : null)),
    materials: f.materials.map((m) => ({ ...m, quantity: null })),
    quiz: f.quiz ? { questions: f.quiz.questions, participants: null, winners: null } : null,
    narrative: '',
  }
}

/**
 * What 从计划录入 takes from the plan: what the plan said, each named in the bar above the form.
 * The campaign too: the planned activity belongs to it, and the 按活动专项 sheet, coverage and
 * the campaign report count the record there (without it a record from the plan would drop
 * out of its 专项). The planned audience is a plan, not a count: left for the cadre.
 */
export const FROM_PLAN_FIELDS = ['date', 'venue', 'title', 'unit_id', 'campaign_ids'] as const
export type FromPlanField = (typeof FROM_PLAN_FIELDS)[number]

/**
 * A new record from a planned activity: its date, place, title, village and campaign, linked
 * to the activity; everything else blank (partners, laws, nodes the plan carried stay in the plan
 * until the cadre fills them — they would otherwise reach the 台账 unseen). Returns the form
 * and the fields it filled (to say so).
 */
export function formFromPrefill(
  r: ActivityRecord,
  d: NewRecordDefaults,
): { form: RecordForm; filled: FromPlanField[] } {
  const f = formFromRecord(r)
  const form = blankForm({ ...d, date: f.date || d.date })
  form.activity_id = f.activity_id
  const filled: FromPlanField[] = []
  for (const k of FROM_PLAN_FIELDS) {
    const value = f[k]
    if (Array.isArray(value) ? value.length > 0 : value) {
      Object.assign(form, { [k]: value })
      filled.push(k)
    }
  }
  return { form, filled }
}

/**
 * 再录一场: a new record in the same village handing out the same materials (the items and
 * their units; how many is that day's number, as with 复制上一条).
 */
export function nextRecordForm(prev: RecordForm, d: NewRecordDefaults): RecordForm {
  const form = blankForm({ ...d, unit_id: prev.unit_id || d.unit_id })
  form.materials = prev.materials.filter((m) => m.material_id).map((m) => ({ ...m, quantity: null }))
  return form
}

/** A catalogue entry as the form needs it. */
export interface CatalogueItem {
  id: string
  name: string
  unit: string
}

/** The unit a catalogue item is counted in ('' when unknown). */
export function unitOf(materialId: string, catalogue: readonly CatalogueItem[]): string {
  return catalogue.find((m) => m.id === materialId)?.unit ?? ''
}

/**
 * One form line → the core's MaterialLineInput; null for a line left empty (no item, no number).
 * The name travels along so a record copied to another laptop still finds the item; the unit
 * defaults to the catalogue's. A missing quantity is sent as 0, which the core refuses with a
 * message naming the item.
 */
export function materialLineToInput(
  row: MaterialRow,
  catalogue: readonly CatalogueItem[],
): { material_id: string | null; material_name: string | null; quantity: number; unit: string | null } | null {
  const id = row.material_id.trim()
  if (!id && row.quantity == null) return null
  const item = catalogue.find((m) => m.id === id)
  const unit = row.unit.trim() || item?.unit || ''
  return {
    material_id: id || null,
    material_name: item?.name ?? null,
    quantity: row.quantity == null ? 0 : Number(row.quantity),
    unit: unit || null,
  }
}

const blankToNull = (s: string | null | undefined): string | null => (s && s.trim() ? s.trim() : null)

/** The form → RecordInput. `participants` must have been checked (see missingRequired). */
export function toRecordInput(form: RecordForm, catalogue: readonly CatalogueItem[], confirmBelowZero = false): RecordInput {
  const byAudience: Record<string, number> = {}
  for (const x of form.reach_by_audience) {
    if (x.audience && x.count != null) byAudience[x.audience] = (byAudience[x.audience] ?? 0) + Number(x.count)
  }
  const quiz = form.quiz
  const hasQuiz = !!quiz && [quiz.questions, quiz.participants, quiz.winners].some((v) => v != null)
  return {
    activity_id: form.activity_id,
    title: form.title.trim(),
    date: form.date ?? '',
    start_time: blankToNull(form.start_time),
    end_time: blankToNull(form.end_time),
    unit_id: blankToNull(form.unit_id),
    unit_name: null,
    venue_type: blankToNull(form.venue_type),
    venue: blankToNull(form.venue),
    formats: [...form.formats],
    audiences: [...form.audiences],
    laws: [...form.laws],
    campaign_ids: [...form.campaign_ids],
    nodes: [...form.nodes],
    speakers: form.speakers.filter((s) => s.name.trim()).map((s) => ({ name: s.name.trim(), role: s.role })),
    partners: [...form.partners],
    participants: Number(form.participants ?? 0),
    reach: form.reach,
    reach_by_audience: byAudience,
    ...eachCount((c) => form[c]),
    narrative: blankToNull(form.narrative),
    materials: form.materials.map((m) => materialLineToInput(m, catalogue)).filter((m) => m !== null),
    quiz: hasQuiz
      ? { questions: Number(quiz.questions ?? 0), participants: Number(quiz.participants ?? 0), winners: Number(quiz.winners ?? 0) }
      : null,
    recorder: form.recorder.trim(),
    confirm_below_zero: confirmBelowZero,
  }
}

/** The required fields left empty, in form order (checked before asking the core). */
export function missingRequired(form: RecordForm): RequiredField[] {
  const out: RequiredField[] = []
  if (!form.title.trim()) out.push('title')
  if (!form.date) out.push('date')
  if (!form.unit_id) out.push('unit_id')
  if (!form.formats.length) out.push('formats')
  if (form.participants == null || Number.isNaN(Number(form.participants))) out.push('participants')
  if (!form.recorder.trim()) out.push('recorder')
  return out
}

/** True when anything of the "更多" part is filled (then it opens by itself). */
export function hasMore(form: RecordForm): boolean {
  return (
    !!(form.start_time || form.end_time || form.venue_type || form.venue.trim() || form.narrative.trim()) ||
    [form.audiences, form.laws, form.campaign_ids, form.nodes, form.speakers, form.partners, form.materials, form.reach_by_audience].some(
      (l) => l.length > 0,
    ) ||
    COUNT_FIELDS.some((f) => form[f] != null) ||
    form.quiz != null
  )
}

/** Two forms hold the same values (a draft worth offering differs from what is shown). */
export function sameForm(a: RecordForm, b: RecordForm): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b))
}

function normalise(f: RecordForm): RecordForm {
  const keys = Object.keys(blankForm({ date: '', unit_id: '', recorder: '' })).sort() as (keyof RecordForm)[]
  return Object.fromEntries(keys.map((k) => [k, f[k] ?? null])) as unknown as RecordForm
}

/** Characters as a person counts them (a CJK character or emoji is one). */
export function charCount(s: string): number {
  return Array.from(s).length
}

/** "宪法读本 10册、普法袋 20个" / "宪法读本 10 booklets, 普法袋 20 pieces". */
export function materialsText(lines: readonly RecordMaterial[], locale = 'zh-CN'): string {
  const sep = locale.startsWith('en') ? ', ' : '、'
  return lines.map((m) => `${m.material_name} ${quantityText(Number(m.quantity), m.unit, locale)}`).join(sep)
}

/** Column totals of a list of records (the 台账 footer). */
/** The totals of no records (before the first page arrives). */
export function emptyTotals(): RecordTotals {
  return recordTotals([])
}

/** The 台账's totals of `records` (what the core's record_page counts, for the dev backend). */
export function recordTotals(records: readonly ActivityRecord[]): RecordTotals {
  const out: RecordTotals = {
    count: records.length,
    units: new Set(records.map((r) => r.unit_id)).size,
    participants: 0,
    reach: 0,
    ...eachCount(() => 0),
    pending: 0,
    returned: 0,
    approved: 0,
  }
  for (const r of records) {
    out.participants += Number(r.participants) || 0
    out.reach += Number(r.reach) || 0
    for (const c of OPTIONAL_COUNTS) out[c] += Number(r[c]) || 0
    out[r.review_status]++
  }
  return out
}

/**
 * What a count box holds: the digits typed (full-width ０-９ from a Chinese input method
 * count too, anything else is dropped), or null when empty.
 */
/**
 * What is wrong with a typed count, if anything: anything but digits (half- or full-width),
 * spaces, separators and a unit word after them, or more than nine digits. Empty is not wrong (not counted).
 */
export function countProblem(text: string): 'digits' | 'too_big' | null {
  // "45人", "200份": a unit word after the number is what people type; it is not an error.
  const s = text.replace(/[\s,，]/g, '').replace(/(人次|人|份|册|本|条|块|次|个|张|名|场)$/, '')
  if (!s) return text.trim() ? 'digits' : null
  if (!/^[0-9\uff10-\uff19]+$/.test(s)) return 'digits'
  return s.length > 9 ? 'too_big' : null
}

export function parseCount(text: string): number | null {
  const digits = Array.from(text)
    .map((c) => {
      const code = c.charCodeAt(0)
      return code >= 0xff10 && code <= 0xff19 ? String.fromCharCode(code - 0xff10 + 48) : c
    })
    .filter((c) => c >= '0' && c <= '9')
    .join('')
    .slice(0, 9)
  return digits ? Number(digits) : null
}
