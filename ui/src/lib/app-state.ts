import { reactive } from 'vue'
import * as api from '../api'
import type { AppError } from '../bindings/AppError'
import type { AppInfo } from '../bindings/AppInfo'
import { applyLocale } from '../i18n'

/** What the whole window shares: the AppInfo from the core, or why it could not be had. */
export const appState = reactive({
  loading: true,
  info: null as AppInfo | null,
  error: null as AppError | null,
})

export function setInfo(info: AppInfo): void {
  appState.info = info
  appState.error = null
  void applyLocale(info.locale)
}

/** (Re)loads AppInfo; on failure the shell shows the full-page error. */
export async function loadAppInfo(): Promise<void> {
  appState.loading = true
  try {
    const info = await api.appInfo()
    // The window appears in its language (English messages load first when chosen).
    await applyLocale(info.locale)
    setInfo(info)
  } catch (e) {
    appState.info = null
    appState.error = api.toAppError(e)
  } finally {
    appState.loading = false
  }
}

/** Switches and persists the UI language; applies it at once, even if saving fails. */
export async function changeLocale(locale: string): Promise<void> {
  await applyLocale(locale)
  setInfo(await api.setLocale(locale))
}
