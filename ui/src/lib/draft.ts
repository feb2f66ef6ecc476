// Form drafts saved as the user types (draft_save, committed to the database), so a closed
// window or a crash loses at most the last half second. Saves and discards run one after the
// other, so a discard after a successful save is never overtaken by a late draft.

export interface DraftStore {
  save(key: string, body: unknown): Promise<unknown>
  discard(key: string): Promise<unknown>
}

export interface DraftAutosave {
  /** Saves `body` under `key` once input has been quiet for the delay (the last call wins). */
  schedule(key: string, body: unknown): void
  /** Saves a scheduled draft now. */
  flush(): Promise<void>
  /** Forgets a scheduled draft without saving it. */
  cancel(): void
  /** Cancels what is scheduled and deletes the stored draft (after the form was saved). */
  discard(key: string): Promise<void>
  /** True while a draft waits for its delay. */
  readonly pending: boolean
}

export const DRAFT_DELAY_MS = 500

/** The draft key of the record form: "record:new" or "record:<id>". */
export function recordDraftKey(recordId: string | null | undefined): string {
  return recordId ? `record:${recordId}` : 'record:new'
}

export function createDraftAutosave(
  store: DraftStore,
  opts: { delay?: number; onError?: (e: unknown) => void } = {},
): DraftAutosave {
  const delay = opts.delay ?? DRAFT_DELAY_MS
  let timer: ReturnType<typeof setTimeout> | undefined
  let next: { key: string; body: unknown } | null = null
  let queue: Promise<void> = Promise.resolve()

  const enqueue = (op: () => Promise<unknown>): Promise<void> => {
    queue = queue.then(op).then(
      () => undefined,
      (e) => opts.onError?.(e),
    )
    return queue
  }

  const flush = (): Promise<void> => {
    clearTimeout(timer)
    timer = undefined
    const item = next
    next = null
    if (!item) return queue
    return enqueue(() => store.save(item.key, item.body))
  }

  return {
    schedule(key, body) {
      next = { key, body }
      clearTimeout(timer)
      timer = setTimeout(() => void flush(), delay)
    },
    flush,
    cancel() {
      clearTimeout(timer)
      timer = undefined
      next = null
    },
    discard(key) {
      clearTimeout(timer)
      timer = undefined
      next = null
      return enqueue(() => store.discard(key))
    },
    get pending() {
      return next !== null
    },
  }
}

/** What the record form stores as a draft. */
export interface RecordDraftBody<F> {
  v: 1
  form: F
}

export function recordDraftBody<F>(form: F): RecordDraftBody<F> {
  return { v: 1, form }
}

/**
 * A stored draft body → a form, laid over `base` so a draft from an older version (missing
 * fields, or fields of another type) still yields a complete form. null when it holds nothing
 * usable.
 */
export function restoreDraft<F extends object>(body: unknown, base: F): F | null {
  if (!body || typeof body !== 'object') return null
  const b = body as { v?: unknown; form?: unknown }
  if (b.v !== 1 || !b.form || typeof b.form !== 'object') return null
  const saved = b.form as Record<string, unknown>
  const out = { ...base } as Record<string, unknown>
  let used = 0
  for (const [k, v] of Object.entries(base)) {
    if (!(k in saved)) continue
    const s = saved[k]
    const fits =
      s === null ||
      v === null ||
      (Array.isArray(v) ? Array.isArray(s) : typeof v === typeof s && !Array.isArray(s))
    if (fits) {
      out[k] = s
      used++
    }
  }
  return used ? (out as F) : null
}
