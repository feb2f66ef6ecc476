import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { loadReference, reference, refreshReference, resetReference } from './reference'
import { coreAnswer, coreFixtures } from '../../tests/fixtures'
import UnitSelect from '../components/selects/UnitSelect.vue'
import { mountApp, settle } from '../../tests/helpers'
import { UNIT_KINDS } from '../lib/enums'
import type { Unit } from '../bindings/Unit'

type Sent = { cmd: string; args?: Record<string, unknown> }

describe('reference store', () => {
  let sent: Sent[]
  let units: Unit[]

  beforeEach(() => {
    resetReference()
    sent = []
    // The demo town as the core answers it, plus one archived village.
    units = [...coreFixtures.units, { ...coreFixtures.units[0], id: 'gone', name: '撤并村', archived: true }]
    mockIPC((_cmd, raw) => {
      const req = (raw as { request: Sent }).request
      sent.push(req)
      if (req.cmd === 'unit_list') return units
      return coreAnswer(req) ?? []
    })
  })
  afterEach(() => clearMocks())

  it('asks the core once when two parts of a screen load together, archived rows included', async () => {
    await Promise.all([loadReference('units', 'campaigns'), loadReference('units')])
    expect(sent.map((s) => s.cmd).sort()).toEqual(['campaign_list', 'unit_list'])
    expect(sent.find((s) => s.cmd === 'unit_list')?.args).toEqual({ kind: null, search: null, include_archived: true })
    expect(sent.find((s) => s.cmd === 'campaign_list')?.args).toMatchObject({ status: 'all' })
    expect(reference.allUnits.value).toHaveLength(coreFixtures.units.length + 1)
    // The active list is the core's own order without the archived row.
    expect(reference.units.value.map((u) => u.id)).toEqual(coreFixtures.units.map((u) => u.id))
    expect(reference.campaigns.value).toHaveLength(coreFixtures.campaigns.length)
  })

  it('after a write reloads what was shown, and only that', async () => {
    await loadReference('units')
    sent = []
    units = [...units, { ...coreFixtures.units[1], id: 'new', name: '新建村' }]
    await refreshReference('units', 'people')
    expect(sent.map((s) => s.cmd)).toEqual(['unit_list'])
    expect(reference.units.value.some((u) => u.name === '新建村')).toBe(true)
  })

  it('a refresh asked while a load runs waits for it and loads again (the load may predate the write)', async () => {
    const first = loadReference('units')
    units = [...units, { ...coreFixtures.units[1], id: 'late', name: '后建村' }]
    await Promise.all([first, refreshReference('units')])
    expect(sent.filter((s) => s.cmd === 'unit_list')).toHaveLength(2)
    expect(reference.units.value.some((u) => u.id === 'late')).toBe(true)
  })

  it('UnitSelect lists the active units grouped by kind, in the kinds order', async () => {
    await loadReference('units')
    const { wrapper } = mountApp(UnitSelect, { props: { modelValue: '' } })
    await settle()
    const titles = [...document.querySelectorAll('.el-select-group__title')].map((e) => e.textContent?.trim())
    const kinds = UNIT_KINDS.filter((k) => coreFixtures.units.some((u) => u.kind === k))
    expect(titles).toHaveLength(kinds.length)
    const names = [...document.querySelectorAll('.el-select-dropdown__item')].map((e) => e.textContent?.trim())
    expect(names).not.toContain('撤并村')
    expect(names).toHaveLength(coreFixtures.units.length)
    wrapper.unmount()
  })
})
