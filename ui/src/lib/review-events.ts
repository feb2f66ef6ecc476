// A record's review changed from outside the row that shows it: 撤销 on an approval toast runs
// after the approved row has left the 待审核 list (its buttons are gone, so their `done` event
// reaches nobody). Screens listing records listen here and reload.
import { onMounted, onUnmounted } from 'vue'
import type { ActivityRecord } from './records'

type Listener = (record: ActivityRecord) => void
const listeners = new Set<Listener>()

export function reviewChanged(record: ActivityRecord): void {
  for (const l of [...listeners]) l(record)
}

/** Calls `listener` while the calling component is mounted. */
export function onReviewChanged(listener: Listener): void {
  onMounted(() => listeners.add(listener))
  onUnmounted(() => listeners.delete(listener))
}
