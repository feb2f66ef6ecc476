// What the Excel import says of a row or a sheet, in the UI's language. The core words it in
// Chinese (`message`, `skipped`: also what the CLI prints) and sends its code and parts;
// English is worded here from those parts, as conflict-text.ts does for planning warnings.
import type { AppError } from '../bindings/AppError'
import type { ErrorCode } from '../bindings/ErrorCode'
import type { ImportProblem } from '../bindings/ImportProblem'
import type { JsonValue } from '../bindings/serde_json/JsonValue'
import type { RowError } from '../bindings/RowError'
import type { SheetSummary } from '../bindings/SheetSummary'
import EN from '../locales/en/import.json'
import { errorText, type Translate } from './errors'

/** Every code has its English words: a code the core adds fails the type check until worded. */
const WORDS: Record<ImportProblem, string> & typeof EN = EN

type Params = { [key in string]?: JsonValue }

function isEnglish(locale: string): boolean {
  return locale.toLowerCase().startsWith('en')
}

function fill(words: string, values: Params): string {
  return words.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = values[name]
    return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)
  })
}

/** The problem alone, without its row and column (the errors table has columns for them). */
export function problemText(e: RowError, t: Translate, locale: string): string {
  if (!isEnglish(locale)) return e.message
  const p: Params = e.params ?? {}
  switch (e.code) {
    case 'refused': {
      const { error, field, ...rest } = p
      const err: AppError = {
        code: String(error) as ErrorCode,
        message: e.message,
        field: typeof field === 'string' ? field : null,
        params: rest,
      }
      return errorText(err, t, locale)
    }
    case 'village_unknown': {
      const listed = String(p.known ?? '').split('、').filter(Boolean).length
      const more = Number(p.total ?? 0) > listed ? fill(WORDS.village_unknown_more, p) : ''
      return fill(WORDS.village_unknown, { ...p, known: String(p.known ?? '').replaceAll('、', ', '), more })
    }
    case 'village_ambiguous':
      return fill(WORDS.village_ambiguous, { ...p, names: String(p.names ?? '').replaceAll('、', ' or ') })
    case 'copies_without_name':
      return fill(p.made ? WORDS.copies_without_name_made : WORDS.copies_without_name, p)
    default:
      return fill(WORDS[e.code], p)
  }
}

/** The problem with its place: "Row 5, “参加人数”: …" (and its sheet when several are read). */
export function rowMessage(e: RowError, t: Translate, locale: string, withSheet = false): string {
  if (!isEnglish(locale)) return e.message
  const text = problemText(e, t, locale)
  return fill(withSheet ? WORDS.sheetRow : WORDS.row, { sheet: e.sheet, row: e.row, column: e.column, text })
}

/** Why a sheet was not read, or null when it was. */
export function skipText(s: SheetSummary, locale: string): string | null {
  if (!s.skipped) return null
  if (!isEnglish(locale) || !s.skip_code) return s.skipped
  return fill(WORDS[s.skip_code], s.skip_params ?? {})
}
