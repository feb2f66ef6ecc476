import { describe, expect, it, vi, beforeEach } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { createI18n } from 'vue-i18n'
import zhCN from '../../locales/zh-CN.json'
import BackupCard from './BackupCard.vue'
import type { BackupInfo } from '../../bindings/BackupInfo'

const calls: { cmd: string; args?: unknown }[] = []
const daily: BackupInfo = {
  path: '/data/backups/2026-11-27_080000000-daily.pufabak',
  file_name: '2026-11-27_080000000-daily.pufabak',
  kind: 'daily',
  created_at: '2026-11-27T00:00:00.000Z',
  bytes: 3 * 1024 * 1024,
  town: '双龙镇',
  schema_version: 9,
  records: 75,
  activities: 104,
  campaigns: 16,
  attachments: 2,
  first_date: '2026-02-24',
  last_date: '2026-09-08',
  town_id: '',
  current_town: null,
  other_town: false,
}
let inspected: BackupInfo = daily

vi.mock('../../api', () => ({
  backupList: async () => {
    calls.push({ cmd: 'backup_list' })
    return [daily]
  },
  backupInspect: async (path: string) => {
    calls.push({ cmd: 'backup_inspect', args: path })
    return inspected
  },
  backupRestore: async (path: string, confirmOtherTown: boolean) => {
    calls.push({ cmd: 'backup_restore', args: confirmOtherTown ? { path, confirmOtherTown } : path })
    return daily
  },
  backupCreate: async (path: string) => {
    calls.push({ cmd: 'backup_create', args: path })
    return { ...daily, path, kind: 'manual' }
  },
  appInfo: async () => ({ initialized: true }),
}))
vi.mock('../../lib/app-state', () => ({ setInfo: vi.fn() }))
vi.mock('../../lib/export', () => ({ chooseOpenPath: vi.fn(async () => null), chooseSavePath: vi.fn(async () => null) }))

function mountCard() {
  const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN } })
  return mount(BackupCard, { global: { plugins: [ElementPlus, i18n] } })
}

describe('BackupCard', () => {
  beforeEach(() => {
    calls.length = 0
    inspected = daily
    vi.restoreAllMocks()
  })

  it('lists the automatic backups with what they hold', async () => {
    const w = mountCard()
    await flushPromises()
    const text = w.get('[data-testid="backup-list"]').text()
    expect(text).toContain('每日自动')
    expect(text).toContain('75 条记录、104 项计划、2 个附件')
    expect(text).toContain('3.0 MB')
  })

  it('shows what a backup holds and restores only after the user confirms', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockRejectedValueOnce('cancel')
    const w = mountCard()
    await flushPromises()
    await w.get('[data-testid="backup-restore"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledTimes(1)
    const message = String(confirm.mock.calls[0][0])
    expect(message).toContain('乡镇：双龙镇')
    expect(message).toContain('活动记录 75 条')
    expect(message).toContain('2026年2月24日')
    expect(calls.map((c) => c.cmd)).not.toContain('backup_restore')

    confirm.mockResolvedValueOnce('confirm' as never)
    await w.get('[data-testid="backup-restore"]').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.cmd === 'backup_restore')).toEqual([{ cmd: 'backup_restore', args: daily.path }])
  })

  it("restores another town's backup only after a second confirmation naming both towns", async () => {
    inspected = { ...daily, town: '石院镇', town_id: 't2', current_town: '双龙镇', other_town: true }
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValueOnce('confirm' as never).mockRejectedValueOnce('cancel')
    const w = mountCard()
    await flushPromises()
    await w.get('[data-testid="backup-restore"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledTimes(2)
    const second = String(confirm.mock.calls[1][0])
    expect(second).toContain('这是“石院镇”的备份，本机是“双龙镇”的台账')
    expect(String(confirm.mock.calls[1][2]?.confirmButtonText)).toContain('确认用“石院镇”的数据替换“双龙镇”')
    expect(calls.map((c) => c.cmd)).not.toContain('backup_restore')

    confirm.mockResolvedValueOnce('confirm' as never).mockResolvedValueOnce('confirm' as never)
    await w.get('[data-testid="backup-restore"]').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.cmd === 'backup_restore')).toEqual([{ cmd: 'backup_restore', args: { path: daily.path, confirmOtherTown: true } }])
  })
})
