/**
 * Splits a pasted list into names: one per line, or separated by 、，,；; (as Word, WeChat
 * and Excel pastes come). Trims each and drops empties. Same rule as the backend's split_list.
 */
export function splitList(text: string | null | undefined): string[] {
  if (!text) return []
  return text
    .split(/[\n\r,，、;；]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}
