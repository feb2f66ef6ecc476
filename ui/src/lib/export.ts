// Where to save an export, which file to open: the native dialogs, shown by the backend
// (`choose_save`, `choose_open`). The backend remembers what the user chose and takes a request
// only for such a file, so the window never names a file on its own; it also makes the
// suggested name safe (one file-name sanitiser, in the core). In the browser dev mock the
// dialogs are answered by the mock backend.
import { invoke } from '@tauri-apps/api/core'

/** A file type the open dialog offers. */
export interface FileFilter {
  name: string
  extensions: string[]
}

/** Asks where to save; null when the user cancels. */
export async function chooseSavePath(defaultName: string, filterName: string, extension: string): Promise<string | null> {
  const path = await invoke<string | null>('choose_save', { defaultName, filterName, extension })
  return path ?? null
}

/** Asks for files to open (one, or several with `multiple`); an empty list when the user cancels. */
export async function chooseOpenPaths(filters: FileFilter[], multiple = false, title: string | null = null): Promise<string[]> {
  const paths = await invoke<string[] | null>('choose_open', { filters, multiple, title })
  return paths ?? []
}

/** Asks for one file to open; null when the user cancels. */
export async function chooseOpenPath(filters: FileFilter[]): Promise<string | null> {
  const [path] = await chooseOpenPaths(filters, false)
  return path ?? null
}
