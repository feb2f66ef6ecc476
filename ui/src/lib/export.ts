// Where to save an export: the native save dialog (tauri-plugin-dialog). In the browser dev
// mock the dialog is answered by the mock backend.
import { save } from '@tauri-apps/plugin-dialog'

/** Asks where to save; null when the user cancels. */
export async function chooseSavePath(defaultName: string, filterName: string, extension: string): Promise<string | null> {
  const path = await save({ defaultPath: defaultName, filters: [{ name: filterName, extensions: [extension] }] })
  return path ?? null
}

/** A file name Windows accepts: the characters it forbids become "-". */
export function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\r\n]+/g, '-').trim()
}
