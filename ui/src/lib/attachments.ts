// Attachments of records: which files the open dialog offers per kind, sizes in words.

export type AttachmentKind = 'photo' | 'sign_in' | 'plan' | 'other'

const IMAGES = ['jpg', 'jpeg', 'png', 'gif', 'webp']
const OFFICE = ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx']

/** The open dialog's file filter for a kind (the core accepts images, PDF and Office files). */
export function attachmentFilters(kind: AttachmentKind, name: string): { name: string; extensions: string[] }[] {
  const extensions =
    kind === 'photo' ? IMAGES : kind === 'plan' ? ['pdf', 'doc', 'docx'] : kind === 'sign_in' ? [...IMAGES, 'pdf', 'xls', 'xlsx'] : [...IMAGES, ...OFFICE]
  return [{ name, extensions: [...extensions, ...extensions.map((e) => e.toUpperCase())] }]
}

/** "320 KB", "2.4 MB". */
export function fileSize(bytes: number | bigint): string {
  const b = Number(bytes)
  if (b < 1024) return `${b} B`
  if (b < 1024 * 1024) return `${Math.round(b / 1024)} KB`
  return `${(b / 1024 / 1024).toFixed(1)} MB`
}
