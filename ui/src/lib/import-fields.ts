// The import mapper's drop-down: what a sheet's column can be read as. The core names each
// field by the template's Chinese header (参加人数, 发放资料2 …) and a code; in English the
// label comes from the same field names the forms and error messages use.
import type { ImportFieldOption } from '../bindings/ImportFieldOption'
import type { WordsContext } from './audit-words'

/** The option's label in the window's language. */
export function fieldOptionLabel(option: ImportFieldOption, ctx: WordsContext): string {
  if (!ctx.locale.startsWith('en')) return option.label
  // A material and its quantity come in numbered pairs: 发放资料2 / 数量2.
  const pair = /^(material|quantity)(\d+)$/.exec(option.code)
  if (pair) return ctx.t(`importXlsx.pair.${pair[1]}`, { n: Number(pair[2]) })
  // Names a column list needs beyond the forms' (whose "Start" sits beside "End").
  if (ctx.te(`importXlsx.fieldNames.${option.code}`)) return ctx.t(`importXlsx.fieldNames.${option.code}`)
  // The import's "unit" is the village or unit of the activity (a material's unit is another).
  const key = option.code === 'unit' ? 'unit_id' : option.code
  return ctx.te(`fields.${key}`) ? ctx.t(`fields.${key}`) : option.label
}
