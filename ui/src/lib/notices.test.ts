import { describe, expect, it } from 'vitest'
import { noticeText } from './notices'

describe('notices', () => {
  it('a failed automatic backup gets its title, the core message and a hint', () => {
    const { title, message } = noticeText({
      kind: 'auto_backup_failed',
      error: { code: 'io', message: '无法写入“D:\\备份”：磁盘已满，请清理磁盘后重试', field: 'path' },
      at: '2026-12-01T01:00:00.000Z',
    })
    expect(title).toBe('自动备份失败')
    expect(message).toContain('磁盘已满')
    expect(message).toContain('数据没有受影响')
  })
})
