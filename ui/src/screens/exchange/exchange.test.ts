import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { createI18n } from 'vue-i18n'
import zhCN from '../../locales/zh-CN.json'
import ExchangeScreen from './index.vue'
import type { PackageReport } from '../../bindings/PackageReport'
import type { SyncConflict } from '../../bindings/SyncConflict'
import { coreFixtures } from '../../../tests/fixtures'

vi.setConfig({ testTimeout: 20000 })

const calls: { cmd: string; args?: unknown }[] = []
let conflicts: SyncConflict[] = []

// The core's own conflict (api/fixtures_tests.rs): a record's 参加人数 changed on two laptops,
// worded by the core (trail::conflict_lines) — only the field that differs.
const CONFLICT: SyncConflict = coreFixtures.sync_conflicts[0]

const HELD_BACK: SyncConflict = {
  ...CONFLICT,
  id: 'k2',
  entity_id: 'r2',
  title: '石院村普法讲座',
  winner: 'local',
  reason: '安静村的电脑不能修改其他村（单位）的活动记录',
}

const REPORT: PackageReport = {
  package_id: 'p1',
  town: '双龙镇',
  from_device: 'd2',
  created_at: '2026-11-27T08:00:00Z',
  adopted_town: false,
  added: 3,
  updated: 1,
  unchanged: 40,
  deleted: 0,
  conflicts: 1,
  matched: 0,
  files: 2,
  maker: '安静村的电脑（王五）',
  out_of_scope: 0,
  entities: [{ entity: 'record', label: '活动记录', added: 3, updated: 1, unchanged: 40, deleted: 0, conflicts: 1 }],
}

vi.mock('../../api', () => ({
  unitList: async () => [
    { id: 'u1', name: '安静村', kind: 'village' },
    { id: 's1', name: '双龙小学', kind: 'school' },
  ],
  campaignList: async () => [],
  materialList: async () => [],
  syncConflictList: async () => {
    calls.push({ cmd: 'sync_conflict_list' })
    return conflicts
  },
  packageExport: async (path: string, scope: unknown) => {
    calls.push({ cmd: 'package_export', args: { path, scope } })
    const counts = { records: 12, activities: 30, attachments: 4 }
    return { path, package_id: 'p0', bytes: 1000, counts, since_last: true, village: null }
  },
  packageImport: async (path: string, trustDevice: boolean) => {
    calls.push({ cmd: 'package_import', args: { path, trustDevice } })
    if (path.includes('陌生') && !trustDevice) {
      throw { code: 'unknown_device', message: '数据包自称由“双龙镇的电脑”制作（设备 d9），本机以前没有收到过这台电脑的数据包', field: 'path' }
    }
    if (path.includes('越权')) {
      conflicts = [HELD_BACK]
      return { ...REPORT, conflicts: 1, out_of_scope: 1 }
    }
    conflicts = [CONFLICT]
    return REPORT
  },
  syncConflictResolve: async (id: string, keep: string) => {
    calls.push({ cmd: 'sync_conflict_resolve', args: { id, keep } })
    conflicts = [{ ...CONFLICT, kept: keep as 'local', resolved_at: '2026-11-27T09:00:00Z' }]
    return conflicts[0]
  },
  appInfo: async () => ({ initialized: true }),
}))
vi.mock('../../lib/app-state', () => ({ appState: { info: { town: { name: '双龙镇' } } }, setInfo: vi.fn() }))
let openAnswer = '/home/li/村里的数据包.pufapkg'
vi.mock('../../lib/export', () => ({
  chooseOpenPath: vi.fn(async () => openAnswer),
  chooseSavePath: vi.fn(async (name: string) => `/home/li/${name}`),
}))

function mountScreen() {
  const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN } })
  return mount(ExchangeScreen, { global: { plugins: [ElementPlus, i18n] }, attachTo: document.body })
}

describe('数据包 screen', () => {
  beforeEach(() => {
    calls.length = 0
    conflicts = []
    openAnswer = '/home/li/村里的数据包.pufapkg'
    vi.restoreAllMocks()
  })

  it('exports what changed since the last package, to the file the user chose', async () => {
    const w = mountScreen()
    await flushPromises()
    await w.get('[data-testid="package-export"]').trigger('click')
    await flushPromises()
    const sent = calls.find((c) => c.cmd === 'package_export')
    expect(sent?.args).toEqual({
      path: expect.stringMatching(/^\/home\/li\/双龙镇数据包-\d{4}-\d{2}-\d{2}\.pufapkg$/),
      scope: { since_last: true, village: null },
    })
    expect(document.body.textContent).toContain('活动记录 12 条、计划活动 30 项、附件 4 个')
    w.unmount()
  })

  it('imports a package, shows the report, and settles a conflict with the version chosen', async () => {
    const w = mountScreen()
    await flushPromises()
    expect(w.get('[data-testid="sync-conflict-table"]').text()).toContain('没有同步冲突')
    await w.get('[data-testid="package-import"]').trigger('click')
    await flushPromises()
    expect(calls.find((c) => c.cmd === 'package_import')?.args).toEqual({ path: '/home/li/村里的数据包.pufapkg', trustDevice: false })
    expect(w.get('[data-testid="package-report-maker"]').text()).toContain('安静村的电脑（王五）')
    expect(w.get('[data-testid="package-report-line"]').text()).toContain('新增 3，更新 1，冲突 1，未变 40，删除 0')
    expect(w.get('[data-testid="package-report-table"]').text()).toContain('活动记录')
    const table = w.get('[data-testid="sync-conflict-table"]')
    expect(table.text()).toContain(CONFLICT.title)
    expect(table.text()).toContain('待处理')

    await w.get('[data-testid="sync-conflict-open"]').trigger('click')
    await flushPromises()
    const dialog = document.querySelector('[data-testid="conflict-dialog"]')!
    const lines = dialog.querySelector('[data-testid="conflict-lines"]')!.textContent!
    expect(lines).toContain('参加人数')
    expect(lines).toContain(String(CONFLICT.local.participants))
    expect(lines).toContain(String(CONFLICT.incoming.participants))
    expect(lines).not.toContain('活动名称') // the same on both sides
    ;(dialog.querySelector('[data-testid="conflict-keep-local"]') as HTMLElement).click()
    await flushPromises()
    expect(calls.find((c) => c.cmd === 'sync_conflict_resolve')?.args).toEqual({ id: CONFLICT.id, keep: 'local' })
    expect(w.get('[data-testid="sync-conflict-table"]').text()).toContain('已保留本机版本')
    w.unmount()
  })

  it('imports from a computer never seen before only when the user confirms it is the town\'s', async () => {
    openAnswer = '/home/li/陌生电脑.pufapkg'
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockRejectedValueOnce('cancel')
    const w = mountScreen()
    await flushPromises()
    await w.get('[data-testid="package-import"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledTimes(1)
    expect(String(confirm.mock.calls[0][0])).toContain('本机以前没有收到过这台电脑的数据包')
    expect(calls.filter((c) => c.cmd === 'package_import').map((c) => c.args)).toEqual([{ path: openAnswer, trustDevice: false }])
    expect(w.find('[data-testid="package-report"]').exists()).toBe(false)

    confirm.mockResolvedValueOnce('confirm' as never)
    await w.get('[data-testid="package-import"]').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.cmd === 'package_import').map((c) => c.args)).toEqual([
      { path: openAnswer, trustDevice: false },
      { path: openAnswer, trustDevice: false },
      { path: openAnswer, trustDevice: true },
    ])
    expect(w.find('[data-testid="package-report"]').exists()).toBe(true)
    w.unmount()
  })

  it('lists changes outside the maker\'s rights among the conflicts, with the reason', async () => {
    openAnswer = '/home/li/越权的数据包.pufapkg'
    const w = mountScreen()
    await flushPromises()
    await w.get('[data-testid="package-import"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="package-report-out-of-scope"]').text()).toContain('其中 1 处修改超出了制作者的权限')
    expect(w.get('[data-testid="sync-conflict-reason"]').text()).toBe('未导入：安静村的电脑不能修改其他村（单位）的活动记录')
    w.unmount()
  })
})
