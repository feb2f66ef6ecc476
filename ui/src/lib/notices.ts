// Problems of background work (the automatic backup at start-up) reach the window on a
// channel the core's shell keeps: a release build on Windows has no console, so the window is
// the only place the user can learn that today's backup was not made.
import { ElNotification } from 'element-plus'
import { NOTICE_Z_INDEX } from './ui'
import { watchNotices } from '../api'
import type { Notice } from '../bindings/Notice'
import type { NoticeKind } from '../bindings/NoticeKind'
import { i18n } from '../i18n'

/** The title of each kind of notice (keys checked by the locales test). */
export const NOTICE_TITLES: Record<NoticeKind, string> = {
  auto_backup_failed: 'notices.autoBackupFailed',
}

/** What the window shows for one notice: a title, the core's message and what to do. */
export function noticeText(notice: Notice): { title: string; message: string } {
  const t = i18n.global.t
  return {
    title: t(NOTICE_TITLES[notice.kind]),
    message: `${notice.error.message}${t('notices.hint')}`,
  }
}

/** Shows every notice as it arrives (and those from before the window listened), until closed. */
export async function startNotices(): Promise<void> {
  try {
    await watchNotices((notice) => {
      ElNotification({ type: 'warning', duration: 0, zIndex: NOTICE_Z_INDEX, ...noticeText(notice) })
    })
  } catch {
    // A build without the command (the dev mock): nothing to watch.
  }
}
