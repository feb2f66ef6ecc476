import { reactive } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { toAppError } from '../api'
import type { AppError } from '../bindings/AppError'
import { errorText } from './errors'

/**
 * Per-field error texts for one form. `show(err)` puts the text on the el-form-item whose
 * field the error names (bind `:error="errors.<field>"`); any other error is an ElMessage.
 */
export function useFormErrors<F extends string>(fields: readonly F[]) {
  const { t, locale } = useI18n()
  const errors: Record<string, string> = reactive(Object.fromEntries(fields.map((f) => [f, ''])))

  function clear(): void {
    for (const f of fields) errors[f] = ''
  }

  function show(err: unknown): AppError {
    const e = toAppError(err)
    const text = errorText(e, t, locale.value)
    if (e.field && (fields as readonly string[]).includes(e.field)) {
      errors[e.field] = text
    } else {
      ElMessage({ type: 'error', message: text, showClose: true, duration: 6000 })
    }
    return e
  }

  return { errors: errors as Record<F, string>, clear, show }
}

/** Shows any error as a message box toast (for actions outside a form). */
export function useErrorToast() {
  const { t, locale } = useI18n()
  return (err: unknown): AppError => {
    const e = toAppError(err)
    ElMessage({ type: 'error', message: errorText(e, t, locale.value), showClose: true, duration: 6000 })
    return e
  }
}
