// A long job the user watches: its progress, and a way to stop it (see api.callJob).
import { computed, ref } from 'vue'
import type { JobProgress } from '../api'

export function useJob() {
  const running = ref(false)
  const progress = ref<JobProgress | null>(null)
  let controller: AbortController | null = null

  /** Runs `start` with a progress callback and an abort signal; one job at a time. */
  async function run<T>(start: (onProgress: (p: JobProgress) => void, signal: AbortSignal) => Promise<T>): Promise<T> {
    if (running.value) throw new Error('a job is already running')
    running.value = true
    progress.value = null
    controller = new AbortController()
    try {
      return await start((p) => (progress.value = p), controller.signal)
    } finally {
      running.value = false
      controller = null
    }
  }

  /** Asks the running job to stop (the core keeps nothing of it). */
  function cancel() {
    controller?.abort()
  }

  const percent = computed(() => {
    const p = progress.value
    return p ? Math.min(100, Math.floor((p.done * 100) / Math.max(p.total, 1))) : 0
  })

  return { running, progress, percent, run, cancel }
}
