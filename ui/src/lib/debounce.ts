import { onBeforeUnmount } from 'vue'

/** Calls fn once input has been quiet for `ms` (typing in a search box). */
export function useDebounced(fn: () => unknown, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  onBeforeUnmount(() => clearTimeout(timer))
  return () => {
    clearTimeout(timer)
    timer = setTimeout(() => void fn(), ms)
  }
}
