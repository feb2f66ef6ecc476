import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import RecordsScreen from './index.vue'
import ReviewButtons from './ReviewButtons.vue'
import HistoryPanel from './HistoryPanel.vue'
import AttachmentList from './AttachmentList.vue'
import { coreFixtures } from '../../../tests/fixtures'
import { mountApp, settle, settleErrors, typeInto, waitFor } from '../../../tests/helpers'
import { appState } from '../../lib/app-state'
import { rememberedKey } from '../../lib/remembered'
import type { AppInfo } from '../../bindings/AppInfo'
import type { ActivityRecord } from '../../lib/records'
import { todayIso } from '../../lib/dates'

// Mounting the whole entry screen in happy-dom is slow on a loaded machine.
vi.setConfig({ testTimeout: 20000 })

type Sent = { cmd: string; args?: Record<string, unknown> }

// The demo town's units as the core lists them; the cadre is 安静村's.
const UNITS = coreFixtures.units
const V1 = UNITS.find((u) => u.name === '安静村')!.id
const V2 = UNITS.find((u) => u.name === '石院村')!.id

// The demo town's info, its user a 安静村 cadre instead of the coordinator.
const INFO: AppInfo = {
  ...coreFixtures.info,
  user: { id: 'u', name: '王小芳', role: 'village_cadre', unit_id: V1, unit_name: '安静村' },
}

function saved(args: Record<string, unknown>, status: ActivityRecord['review_status'] = 'pending'): ActivityRecord {
  const n = (k: string) => (args[k] as number | null) ?? 0
  return {
    id: 'r-new',
    activity_id: null,
    title: args.title as string,
    date: args.date as string,
    start_time: null,
    end_time: null,
    unit_id: args.unit_id as string,
    unit_name: '安静村',
    venue_type: null,
    venue: '',
    formats: args.formats as ActivityRecord['formats'],
    audiences: [],
    laws: [],
    campaign_ids: [],
    nodes: [],
    speakers: [],
    partners: [],
    participants: n('participants'),
    reach: n('participants'),
    reach_by_audience: {},
    consultations: 0,
    banners: 0,
    boards: 0,
    vehicles: 0,
    online_posts: 0,
    online_views: 0,
    disputes: 0,
    legal_aid_cases: 0,
    volunteers: 0,
    narrative: '',
    materials: [],
    quiz: null,
    recorder: args.recorder as string,
    review_status: status,
    review_comment: '',
    reviewed_by: null,
    reviewed_at: null,
    created_at: '2026-11-27T08:00:00Z',
    updated_at: '2026-11-27T08:00:00Z',
  }
}

/** A backend for the screen: lists, drafts and records; `create` decides what record_create does. */
function backend(sent: Sent[], opts: { draft?: unknown; create?: (args: Record<string, unknown>, n: number) => unknown } = {}) {
  let creates = 0
  mockIPC((_cmd, raw) => {
    const req = (raw as { request: Sent }).request
    sent.push(req)
    switch (req.cmd) {
      case 'unit_list':
        return UNITS
      case 'draft_get':
        return opts.draft ? { key: req.args?.key, body: opts.draft, updated_at: '2026-11-27T07:55:00Z' } : null
      case 'record_create':
        return opts.create ? opts.create(req.args ?? {}, ++creates) : saved(req.args ?? {})
      case 'draft_save':
        return { key: req.args?.key, body: req.args?.body, updated_at: '' }
      case 'draft_discard':
        return { deleted: req.args?.key }
      case 'attachment_list':
      case 'material_list':
      case 'campaign_list':
      case 'person_list':
      case 'record_list':
      case 'keydate_list':
        return []
      default:
        return {}
    }
  })
}

const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)
const ready = () => (q('record-screen') as HTMLElement | null)?.dataset.ready === 'true'
const enter = (el: Element | null) =>
  el?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }))

describe('Record entry screen', () => {
  let sent: Sent[]

  beforeEach(() => {
    sent = []
    localStorage.clear()
    appState.info = INFO
  })
  afterEach(() => {
    clearMocks()
    document.body.innerHTML = ''
    appState.info = null
  })

  it('records a typical activity: the remembered village, a title, a format, the number, Enter', async () => {
    // Remembered for this data folder; a recorder remembered by an older version is ignored:
    // 记录人 is the folder's current user.
    localStorage.setItem(rememberedKey(INFO.device_id), JSON.stringify({ unit_id: V2, recorder: '别人' }))
    backend(sent)
    const { wrapper } = mountApp(RecordsScreen)
    await waitFor(ready)

    const title = q('record-title')
    expect(title?.tagName).toBe('INPUT')
    expect(document.activeElement).toBe(title) // the cursor starts in the first field
    await typeInto(title, '石院村宪法进院坝')
    ;(q('record-format-courtyard_meeting') as HTMLElement).click()
    await typeInto(q('record-participants'), '４５') // full-width digits from the IME
    enter(q('record-participants'))
    await waitFor(() => sent.some((s) => s.cmd === 'record_create'))
    await settle()

    const create = sent.find((s) => s.cmd === 'record_create')
    expect(create?.args).toMatchObject({
      title: '石院村宪法进院坝',
      date: todayIso(),
      unit_id: V2,
      formats: ['courtyard_meeting'],
      participants: 45,
      recorder: '王小芳',
      materials: [],
      confirm_below_zero: false,
    })
    // The draft goes with the save; the village is remembered for the next one.
    expect(sent.filter((s) => s.cmd === 'draft_discard').map((s) => s.args?.key)).toContain('record:new')
    expect(JSON.parse(localStorage.getItem(rememberedKey(INFO.device_id)) ?? '{}')).toEqual({ unit_id: V2 })
    expect(document.body.textContent).toContain('已保存，等待协调员审核')
    wrapper.unmount()
  })

  it('flags every empty required field at once without asking the core', async () => {
    backend(sent)
    const { wrapper } = mountApp(RecordsScreen)
    await waitFor(ready)
    ;(q('record-save') as HTMLButtonElement).click()
    await settleErrors()
    const errors = Array.from(document.querySelectorAll('.el-form-item__error'), (e) => e.textContent?.trim())
    // The cadre's own village and name are filled in already; the rest is asked for.
    expect(errors).toEqual(['活动名称不能为空', '活动形式不能为空', '参加人数不能为空'])
    expect(sent.some((s) => s.cmd === 'record_create')).toBe(false)
    wrapper.unmount()
  })

  it('offers a draft left from last time and restores it', async () => {
    const draft = { v: 1, form: { title: '未保存的宪法宣讲', participants: 33, formats: ['lecture'], unit_id: V1 } }
    backend(sent, { draft })
    const { wrapper } = mountApp(RecordsScreen)
    await waitFor(() => !!q('draft-offer'))
    expect(q('draft-offer')?.textContent).toContain('发现未保存的草稿，是否恢复？')
    expect((q('record-title') as HTMLInputElement).value).toBe('')
    ;(q('draft-restore') as HTMLElement).click()
    await settle()
    expect((q('record-title') as HTMLInputElement).value).toBe('未保存的宪法宣讲')
    expect((q('record-participants') as HTMLInputElement).value).toBe('33')
    expect(q('draft-offer')).toBeNull()
    wrapper.unmount()
  })

  it('saves a draft half a second after typing stops', async () => {
    backend(sent)
    const { wrapper } = mountApp(RecordsScreen)
    await waitFor(ready)
    await typeInto(q('record-title'), '法治讲座')
    await settle()
    expect(sent.some((s) => s.cmd === 'draft_save')).toBe(false)
    await waitFor(() => sent.some((s) => s.cmd === 'draft_save'), 2000)
    const save = sent.find((s) => s.cmd === 'draft_save')
    expect(save?.args?.key).toBe('record:new')
    expect((save?.args?.body as { form: { title: string } }).form.title).toBe('法治讲座')
    wrapper.unmount()
  })

  it('asks before an overdraw and resends with the confirmation', async () => {
    localStorage.setItem(rememberedKey(INFO.device_id), JSON.stringify({ unit_id: V1 }))
    backend(sent, {
      create: (args, n) =>
        n === 1
          ? Promise.reject({ code: 'stock_negative', message: '“宪法读本”在镇普法资料库只剩 5 册', field: 'materials' })
          : saved(args),
    })
    const { wrapper } = mountApp(RecordsScreen)
    await waitFor(ready)
    await typeInto(q('record-title'), '宪法宣讲')
    ;(q('record-format-lecture') as HTMLElement).click()
    await typeInto(q('record-participants'), '20')
    ;(q('record-save') as HTMLButtonElement).click()
    await waitFor(() => !!q('overdraw-confirm'))
    expect(q('overdraw-message')?.textContent).toBe('“宪法读本”在镇普法资料库只剩 5 册')
    ;(q('overdraw-confirm') as HTMLButtonElement).click()
    await waitFor(() => sent.filter((s) => s.cmd === 'record_create').length === 2)
    const [first, second] = sent.filter((s) => s.cmd === 'record_create')
    expect(first.args?.confirm_below_zero).toBe(false)
    expect(second.args?.confirm_below_zero).toBe(true)
    wrapper.unmount()
  })
})

describe('Review buttons', () => {
  afterEach(() => {
    clearMocks()
    document.body.innerHTML = ''
  })

  const pending = saved({ title: '宪法进院坝', date: '2026-11-10', unit_id: V1, formats: ['lecture'], participants: 40, recorder: '王小芳' })

  it('the coordinator returns a record only with a comment', async () => {
    const sent: Sent[] = []
    mockIPC((_cmd, raw) => {
      const req = (raw as { request: Sent }).request
      sent.push(req)
      return { ...pending, review_status: 'returned', review_comment: req.args?.comment }
    })
    const { wrapper } = mountApp(ReviewButtons, { props: { record: pending, role: 'coordinator' } })
    await settle()
    expect(q('review-approve')?.tagName).toBe('BUTTON')
    ;(q('review-return') as HTMLButtonElement).click()
    await waitFor(() => !!q('review-comment'))
    ;(q('review-comment-confirm') as HTMLButtonElement).click()
    await settleErrors()
    expect(sent).toHaveLength(0)
    expect(document.body.textContent).toContain('退回时请写明需要修改的地方')
    await typeInto(q('review-comment'), '请补充签到表照片')
    ;(q('review-comment-confirm') as HTMLButtonElement).click()
    await waitFor(() => sent.length === 1)
    expect(sent[0]).toEqual({ cmd: 'record_review', args: { id: 'r-new', action: 'return', comment: '请补充签到表照片' } })
    await settle()
    expect(wrapper.emitted('done')?.[0]?.[1]).toBe('return')
    wrapper.unmount()
  })

  it('a village cadre gets no review buttons on a pending record', async () => {
    mockIPC(() => ({}))
    const { wrapper } = mountApp(ReviewButtons, { props: { record: pending, role: 'village_cadre' } })
    await settle()
    expect(q('review-approve')).toBeNull()
    expect(q('review-return')).toBeNull()
    wrapper.unmount()
  })
})

describe('History panel', () => {
  afterEach(() => {
    clearMocks()
    document.body.innerHTML = ''
  })

  it('shows who changed what, before → after, with Chinese labels', async () => {
    mockIPC((_cmd, raw) => {
      const req = (raw as { request: Sent }).request
      if (req.cmd === 'keydate_node_list') return []
      expect(req).toEqual({ cmd: 'audit_list', args: { entity: 'record', entity_id: 'r1', since: null, limit: null } })
      // The core's answer for a demo record (its newest two entries).
      return coreFixtures.record_history.slice(0, 2)
    })
    const { wrapper } = mountApp(HistoryPanel, {
      props: { entity: 'record', entityId: 'r1' },
    })
    await waitFor(() => document.querySelectorAll('[data-testid="history-entry"]').length === 2)
    const [ret, edit] = Array.from(document.querySelectorAll('[data-testid="history-entry"]'))
    expect(edit.textContent).toContain('李明')
    expect(edit.textContent).toContain('修改活动记录“方坪村返岗务工送法”')
    expect(edit.querySelector('[data-testid="history-change"]')?.textContent?.replace(/\s+/g, '')).toBe('参加人数49→54')
    expect(ret.textContent).toContain('退回活动记录')
    expect(Array.from(ret.querySelectorAll('[data-testid="history-change"]')).map((l) => l.textContent?.replace(/\s+/g, ''))).toEqual([
      '审核状态待审核→已退回',
      '审核意见（空）→请补充签到表',
    ])
    wrapper.unmount()
  })
})


describe('Attachments', () => {
  afterEach(() => {
    clearMocks()
    document.body.innerHTML = ''
  })

  it('shows a photo by its thumbnail and a PDF by an icon', async () => {
    const asked: string[] = []
    const att = (id: string, name: string, mime: string, thumbnail: string | null) => ({
      id,
      record_id: 'r1',
      kind: mime.startsWith('image/') ? 'photo' : 'plan',
      file_name: name,
      sha256: id.repeat(64).slice(0, 64),
      size: 120_000,
      mime,
      stored: `attachments/aa/${id}`,
      thumbnail,
      created_at: '2026-11-10T02:00:00Z',
    })
    mockIPC((_cmd, raw) => {
      const req = (raw as { request: Sent }).request
      if (req.cmd === 'attachment_list') return [att('p1', '现场.jpg', 'image/jpeg', 'attachments/thumbs/p1.jpg'), att('f1', '方案.pdf', 'application/pdf', null)]
      if (req.cmd === 'attachment_thumbnail') {
        asked.push(req.args?.id as string)
        return 'data:image/jpeg;base64,/9j/AA=='
      }
      return []
    })
    const { wrapper } = mountApp(AttachmentList, { props: { recordId: 'r1', editable: false } })
    await waitFor(() => document.querySelectorAll('[data-testid="attachment-item"]').length === 2)
    await waitFor(() => !!document.querySelector('[data-testid="attachment-thumb"]'))
    const [photo, pdf] = Array.from(document.querySelectorAll('[data-testid="attachment-item"]'))
    expect(photo.querySelector('img')?.getAttribute('src')).toBe('data:image/jpeg;base64,/9j/AA==')
    expect(photo.querySelector('img')?.getAttribute('alt')).toBe('现场.jpg')
    expect(pdf.querySelector('img')).toBeNull()
    expect(asked).toEqual(['p1']) // only pictures are asked for a thumbnail
    wrapper.unmount()
  })
})
