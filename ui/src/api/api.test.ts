import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import * as api from './index'

afterEach(() => clearMocks())

describe('call', () => {
  it('sends one `call` command carrying the request', async () => {
    const seen: Array<[string, unknown]> = []
    mockIPC((cmd, args) => {
      seen.push([cmd, args])
      return [{ id: 'u1', name: '安静村' }]
    })
    const units = await api.unitList({ kind: 'village', search: null, include_archived: false })
    expect(units).toEqual([{ id: 'u1', name: '安静村' }])
    expect(seen).toEqual([
      ['call', { request: { cmd: 'unit_list', args: { kind: 'village', search: null, include_archived: false } } }],
    ])
  })

  it('wraps update, archive and delete arguments as the Request union says', async () => {
    const requests: unknown[] = []
    mockIPC((_cmd, args) => {
      const req = (args as { request: { cmd: string; args?: { id?: string } } }).request
      requests.push(req)
      return req.cmd.endsWith('_delete') ? { deleted: req.args?.id } : {}
    })
    const input = { kind: 'school', name: '中心小学', address: null, notes: null, market_days: null }
    await api.unitUpdate('u1', input)
    await api.campaignArchive('c1', true)
    expect(await api.personDelete('p9')).toEqual({ deleted: 'p9' })
    await api.appInfo()
    await api.check()
    expect(requests).toEqual([
      { cmd: 'unit_update', args: { id: 'u1', input } },
      { cmd: 'campaign_archive', args: { id: 'c1', archived: true } },
      { cmd: 'person_delete', args: { id: 'p9' } },
      { cmd: 'app_info' },
      { cmd: 'check' },
    ])
  })

  it('passes an AppError through unchanged', async () => {
    const appErr = { code: 'date_order', message: '结束日期不能早于开始日期', field: 'end_date' }
    mockIPC(() => Promise.reject(appErr))
    await expect(
      api.campaignCreate({
        name: '周',
        kind: 'local',
        start_date: '2026-12-07',
        end_date: '2026-12-01',
        audiences: [],
        themes: [],
        lead_unit: null,
        notes: null,
        nodes: [],
        report_deadline: null,
      }),
    ).rejects.toEqual(appErr)
  })

  it('turns a string rejection into bad_request with its text', async () => {
    mockIPC(() => {
      throw 'command call not allowed by capabilities'
    })
    await expect(api.appInfo()).rejects.toEqual({
      code: 'bad_request',
      message: 'command call not allowed by capabilities',
      field: null,
    })
  })
})

describe('toAppError', () => {
  it('normalises anything to an AppError', () => {
    expect(api.toAppError(new Error('boom'))).toEqual({ code: 'bad_request', message: 'boom', field: null })
    expect(api.toAppError({ code: 'no_such_code', message: 'odd' })).toEqual({
      code: 'bad_request',
      message: 'odd',
      field: null,
    })
    expect(api.toAppError({ code: 'io', message: '磁盘已满' })).toEqual({ code: 'io', message: '磁盘已满', field: null })
    expect(api.toAppError(42)).toEqual({ code: 'bad_request', message: '42', field: null })
    expect(api.toAppError(undefined).code).toBe('bad_request')
  })
})
