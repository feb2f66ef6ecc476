import { describe, expect, it } from 'vitest'
import {
  blankForm,
  COUNT_FIELDS,
  copyOfRecord,
  formFromPrefill,
  nextRecordForm,
  formFromRecord,
  hasMore,
  materialLineToInput,
  missingRequired,
  parseCount,
  countProblem,
  recordTotals,
  sameForm,
  toRecordInput,
  type ActivityRecord,
  type CatalogueItem,
  type RecordForm,
} from './records'

const CATALOGUE: CatalogueItem[] = [
  { id: 'm1', name: '宪法读本', unit: '册' },
  { id: 'm2', name: '普法环保袋', unit: '个' },
]

const RECORD: ActivityRecord = {
  id: 'r1',
  activity_id: 'a1',
  title: '宪法进院坝',
  date: '2026-11-10',
  start_time: '09:00',
  end_time: '11:00',
  unit_id: 'v1',
  unit_name: '安静村',
  venue_type: 'courtyard',
  venue: '村委会院坝',
  formats: ['courtyard_meeting', 'quiz'],
  audiences: ['residents'],
  laws: ['宪法'],
  campaign_ids: ['c1'],
  nodes: ['constitution_week'],
  speakers: [{ name: '王律师', role: 'lawyer' }],
  partners: ['派出所'],
  participants: 40,
  reach: 40,
  reach_by_audience: { residents: 30 },
  consultations: 6,
  banners: 1,
  boards: 2,
  vehicles: 0,
  online_posts: 1,
  online_views: 320,
  disputes: 0,
  legal_aid_cases: 0,
  volunteers: 4,
  narrative: '群众反响好',
  materials: [{ material_id: 'm1', material_name: '宪法读本', quantity: 10, unit: '册' }],
  quiz: { questions: 10, participants: 30, winners: 5 },
  recorder: '李明',
  review_status: 'approved',
  review_comment: '',
  reviewed_by: '李明',
  reviewed_at: '2026-11-10T10:00:00Z',
  created_at: '2026-11-10T09:00:00Z',
  updated_at: '2026-11-10T09:00:00Z',
}

describe('material lines', () => {
  it('takes the unit from the catalogue and sends the name along', () => {
    expect(materialLineToInput({ material_id: 'm1', quantity: 10, unit: '' }, CATALOGUE)).toEqual({
      material_id: 'm1',
      material_name: '宪法读本',
      quantity: 10,
      unit: '册',
    })
  })

  it('keeps a unit the user chose (the core checks it against the catalogue)', () => {
    expect(materialLineToInput({ material_id: 'm1', quantity: 3, unit: '本' }, CATALOGUE)?.unit).toBe('本')
  })

  it('drops an untouched line and sends a missing quantity as 0 for the core to name', () => {
    expect(materialLineToInput({ material_id: '', quantity: null, unit: '' }, CATALOGUE)).toBeNull()
    expect(materialLineToInput({ material_id: 'm2', quantity: null, unit: '个' }, CATALOGUE)).toEqual({
      material_id: 'm2',
      material_name: '普法环保袋',
      quantity: 0,
      unit: '个',
    })
    // An item no longer in this catalogue: the id alone, no unit to guess.
    expect(materialLineToInput({ material_id: 'gone', quantity: 5, unit: '' }, CATALOGUE)).toEqual({
      material_id: 'gone',
      material_name: null,
      quantity: 5,
      unit: null,
    })
  })
})

describe('the record form', () => {
  const defaults = { date: '2026-11-27', unit_id: 'v1', recorder: '李明' }

  it('lists the empty required fields in form order', () => {
    expect(missingRequired(blankForm({ date: '', unit_id: '', recorder: '' }))).toEqual([
      'title',
      'date',
      'unit_id',
      'formats',
      'participants',
      'recorder',
    ])
    const f = { ...blankForm(defaults), title: '  ', formats: ['lecture'], participants: 0 }
    expect(missingRequired(f)).toEqual(['title']) // 0 people is a value, a blank title is not
  })

  it('maps to RecordInput: blanks become null, numbers stay numbers', () => {
    const f = {
      ...blankForm(defaults),
      title: ' 民法典讲座 ',
      formats: ['lecture'],
      participants: 35,
      venue: '  ',
      banners: 2,
      reach_by_audience: [
        { audience: 'elderly', count: 10 },
        { audience: 'elderly', count: 5 },
        { audience: '', count: 3 },
        { audience: 'women', count: null },
      ],
      speakers: [
        { name: '王律师', role: 'lawyer' as const },
        { name: ' ', role: 'police' as const },
      ],
      materials: [
        { material_id: 'm1', quantity: 20, unit: '' },
        { material_id: '', quantity: null, unit: '' },
      ],
    }
    const input = toRecordInput(f, CATALOGUE, true)
    expect(input).toMatchObject({
      title: '民法典讲座',
      date: '2026-11-27',
      unit_id: 'v1',
      unit_name: null,
      venue: null,
      start_time: null,
      formats: ['lecture'],
      participants: 35,
      reach: null,
      banners: 2,
      boards: null,
      reach_by_audience: { elderly: 15 },
      speakers: [{ name: '王律师', role: 'lawyer' }],
      materials: [{ material_id: 'm1', material_name: '宪法读本', quantity: 20, unit: '册' }],
      quiz: null,
      narrative: null,
      recorder: '李明',
      confirm_below_zero: true,
    })
  })

  it('sends a quiz only when a number was entered', () => {
    const f: RecordForm = { ...blankForm(defaults), quiz: { questions: null, participants: null, winners: null } }
    expect(toRecordInput(f, CATALOGUE).quiz).toBeNull()
    f.quiz = { questions: 10, participants: 25, winners: null }
    expect(toRecordInput(f, CATALOGUE).quiz).toEqual({ questions: 10, participants: 25, winners: 0 })
  })

  it('shows a stored record: uncounted numbers empty, reach only when it says more', () => {
    const f = formFromRecord(RECORD)
    expect(f.participants).toBe(40)
    expect(f.reach).toBeNull() // stored as the participants: not typed by anyone
    expect(f.vehicles).toBeNull()
    expect(f.consultations).toBe(6)
    expect(f.materials).toEqual([{ material_id: 'm1', quantity: 10, unit: '册' }])
    expect(f.reach_by_audience).toEqual([{ audience: 'residents', count: 30 }])
    expect(formFromRecord({ ...RECORD, reach: 55 }).reach).toBe(55)
    expect(hasMore(f)).toBe(true)
    expect(hasMore(blankForm(defaults))).toBe(false)
  })

  it('志愿者人次 is a count of the form like the others: a box, sent as entered, read back', () => {
    expect(COUNT_FIELDS).toContain('volunteers')
    const blank = blankForm(defaults)
    expect(blank.volunteers).toBeNull()
    expect(hasMore(blank)).toBe(false)
    const f = { ...blank, title: '法律明白人宣讲', formats: ['lecture'], participants: 20, volunteers: 6 }
    expect(hasMore(f)).toBe(true)
    expect(toRecordInput(f, CATALOGUE).volunteers).toBe(6)
    expect(toRecordInput(blank, CATALOGUE).volunteers).toBeNull()
    expect(formFromRecord(RECORD).volunteers).toBe(4)
    expect(formFromRecord({ ...RECORD, volunteers: 0 }).volunteers).toBeNull()
    // Counted anew on a copy, like the other numbers of the day.
    expect(copyOfRecord(RECORD, '2026-11-27').volunteers).toBeNull()
    expect(recordTotals([RECORD, RECORD]).volunteers).toBe(8)
  })

  it('"复制上一条" keeps what the activity is, not the date or the day’s numbers', () => {
    const f = copyOfRecord(RECORD, '2026-11-27')
    expect(f.date).toBe('2026-11-27')
    expect(f.activity_id).toBeNull()
    expect(f.title).toBe('宪法进院坝')
    expect(f.unit_id).toBe('v1')
    expect(f.formats).toEqual(['courtyard_meeting', 'quiz'])
    expect(f.laws).toEqual(['宪法'])
    expect(f.speakers).toEqual([{ name: '王律师', role: 'lawyer' }])
    expect(f.banners).toBe(1)
    expect(f.participants).toBeNull()
    expect(f.consultations).toBeNull()
    expect(f.online_views).toBeNull()
    expect(f.materials).toEqual([{ material_id: 'm1', quantity: null, unit: '册' }])
    expect(f.quiz).toEqual({ questions: 10, participants: null, winners: null })
    expect(f.narrative).toBe('') // it told of that day
    expect(missingRequired(f)).toEqual(['participants'])
  })

  it('a record from a plan takes only what the plan said: date, place, title, village, campaign', () => {
    const prefill = { ...RECORD, id: '', participants: 60, reach: 60, recorder: '', campaign_ids: ['c1'] }
    const { form: f, filled } = formFromPrefill(prefill, { date: '2026-12-07', unit_id: 'v9', recorder: '王小芳' })
    expect(filled).toEqual(['date', 'venue', 'title', 'unit_id', 'campaign_ids'])
    // Counted in its 专项 (台账 按活动专项, coverage), and said so in the bar.
    expect(f.campaign_ids).toEqual(['c1'])
    // A plan activity outside any campaign fills none and does not claim to.
    const loose = formFromPrefill({ ...prefill, campaign_ids: [] }, { date: '2026-12-07', unit_id: 'v9', recorder: '' })
    expect(loose.filled).not.toContain('campaign_ids')
    expect(f.activity_id).toBe('a1')
    expect([f.date, f.venue, f.title, f.unit_id]).toEqual([RECORD.date, RECORD.venue, '宪法进院坝', 'v1'])
    expect(f.participants).toBeNull()
    expect(f.recorder).toBe('王小芳')
    // What sits in the folded 更多 part is not filled behind the cadre's back.
    expect(f.laws).toEqual([])
    expect(f.partners).toEqual([])
    expect(f.nodes).toEqual([])
    expect(f.speakers).toEqual([])
    expect(f.formats).toEqual([])
    expect(f.materials).toEqual([])
    // The place and the campaign sit in 更多, which then opens by itself (the cadre sees them);
    // nothing else there is filled.
    expect(hasMore(f)).toBe(true)
    expect(hasMore({ ...f, venue: '', campaign_ids: [] })).toBe(false)
  })

  it('再录一场 keeps the village and the materials handed out', () => {
    const prev = formFromRecord(RECORD)
    const f = nextRecordForm(prev, { date: '2026-12-07', unit_id: 'v9', recorder: '王小芳' })
    expect(f.unit_id).toBe('v1')
    expect(f.materials).toEqual([{ material_id: 'm1', quantity: null, unit: '册' }])
    expect(f.title).toBe('')
    expect(f.activity_id).toBeNull()
    expect(f.date).toBe('2026-12-07')
    expect(missingRequired(f)).toEqual(['title', 'formats', 'participants'])
  })

  it('compares forms by value', () => {
    const a = blankForm(defaults)
    const b = JSON.parse(JSON.stringify(a))
    expect(sameForm(a, b)).toBe(true)
    b.title = 'x'
    expect(sameForm(a, b)).toBe(false)
  })
})

describe('counts', () => {
  it('reads digits, full-width digits from a Chinese input method, and nothing as empty', () => {
    expect(parseCount('45')).toBe(45)
    expect(parseCount('４５人')).toBe(45)
    expect(parseCount(' 1,200 ')).toBe(1200)
    expect(parseCount('')).toBeNull()
    expect(parseCount('约')).toBeNull()
    expect(parseCount('0')).toBe(0)
  })

  it('totals the columns of the ledger', () => {
    const t = recordTotals([RECORD, { ...RECORD, id: 'r2', participants: 10, reach: 25, consultations: 0 }])
    expect(t).toMatchObject({ count: 2, participants: 50, reach: 65, consultations: 6, banners: 2, online_views: 640 })
    expect(t.units).toBe(1)
    expect(t.pending + t.returned + t.approved).toBe(2)
    expect(recordTotals([])).toMatchObject({ count: 0, units: 0, reach: 0 })
  })
})

describe('countProblem', () => {
  it('says at once what is wrong with a typed count', () => {
    expect(countProblem('')).toBeNull()
    expect(countProblem('45')).toBeNull()
    expect(countProblem('４５')).toBeNull()
    expect(countProblem('1,200')).toBeNull()
    expect(countProblem('45人')).toBeNull()
    expect(countProblem('人')).toBe('digits')
    expect(countProblem('abc')).toBe('digits')
    expect(countProblem('4o')).toBe('digits')
    expect(countProblem('-3')).toBe('digits')
    expect(countProblem('4.5')).toBe('digits')
    expect(countProblem('1234567890')).toBe('too_big')
  })
})

