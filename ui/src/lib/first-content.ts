// The first screen with content (issue 19, weight): the window counts as ready when a screen
// — the set-up, an error page or a routed page — is on show and nothing in it is loading any
// more. Then <html data-ready> is set (end-to-end tests wait for it) and the backend is told
// once (it logs the time since start; bench/weight.sh measures it in a release build).

const SCREENS = '.setup, .error-page, .shell-main .page'
// A mask fading out (after loading) no longer counts.
const LOADING = '.el-loading-mask:not(.el-loading-fade-leave-active), .app-loading'

/** True when a screen is shown and nothing in the document is still loading. */
export function hasContent(doc: Document): boolean {
  return doc.querySelector(SCREENS) !== null && doc.querySelector(LOADING) === null
}

/**
 * Watches the document until it has content (checked each frame, then painted: two frames
 * later), marks it and calls `report`. Gives up silently after `timeoutMs`.
 */
export function watchFirstContent(report: () => Promise<void>, doc: Document = document, timeoutMs = 60000): void {
  const start = performance.now()
  const check = () => {
    if (hasContent(doc)) {
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          doc.documentElement.dataset.ready = '1'
          void report().catch(() => undefined)
        }),
      )
    } else if (performance.now() - start < timeoutMs) {
      requestAnimationFrame(check)
    }
  }
  requestAnimationFrame(check)
}
