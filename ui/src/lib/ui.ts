import { computed } from 'vue'
import { useI18n } from 'vue-i18n'

/** Form label column width for the current language (Chinese labels are short). */
export function useLabelWidth(zh = '110px', en = '150px') {
  const { locale } = useI18n()
  return computed(() => (locale.value === 'en' ? en : zh))
}

/**
 * The stacking level of notices (conflict warnings, background problems): below every dialog
 * (Element Plus stacks dialogs from 2000 up), so a notice never covers a dialog's buttons.
 */
export const NOTICE_Z_INDEX = 1000
