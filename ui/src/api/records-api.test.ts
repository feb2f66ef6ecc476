import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import * as api from './index'

afterEach(() => clearMocks())

describe('record-keeping requests', () => {
  it('send the shapes the core deserialises', async () => {
    const sent: unknown[] = []
    mockIPC((_cmd, args) => {
      sent.push((args as { request: unknown }).request)
      return null
    })
    await api.recordList({ unit_id: 'v1' })
    await api.recordReview('r1', 'return', '请补充签到表')
    await api.auditList({ entity: 'record', entity_id: 'r1' })
    await api.materialCreate({ name: '宪法读本', category: null, unit: '册', low_stock: 50 })
    await api.stockTransfer({ material: 'm1', quantity: 30, date: '2026-11-02', from_unit_id: null, to_unit_id: 'v1', note: null, confirm_below_zero: true })
    await api.draftSave('record:new', { v: 1, form: { title: 'x' } })
    await api.attachmentAdd('r1', '/home/u/图片/1.jpg', 'photo')
    expect(sent).toEqual([
      { cmd: 'record_list', args: { from: null, to: null, unit_id: 'v1', campaign_id: null, review_status: null, search: null } },
      { cmd: 'record_review', args: { id: 'r1', action: 'return', comment: '请补充签到表' } },
      { cmd: 'audit_list', args: { entity: 'record', entity_id: 'r1', since: null, limit: null } },
      { cmd: 'material_create', args: { name: '宪法读本', category: null, unit: '册', low_stock: 50 } },
      {
        cmd: 'stock_transfer',
        args: { material: 'm1', quantity: 30, date: '2026-11-02', from_unit_id: null, to_unit_id: 'v1', note: null, confirm_below_zero: true },
      },
      { cmd: 'draft_save', args: { key: 'record:new', body: { v: 1, form: { title: 'x' } } } },
      { cmd: 'attachment_add', args: { record_id: 'r1', path: '/home/u/图片/1.jpg', kind: 'photo' } },
    ])
  })

  it('a stock_negative rejection reaches the screen as such', async () => {
    mockIPC(() => Promise.reject({ code: 'stock_negative', message: '只剩 5 册', field: 'materials' }))
    await expect(api.recordCreate({} as never)).rejects.toEqual({ code: 'stock_negative', message: '只剩 5 册', field: 'materials' })
  })
})
