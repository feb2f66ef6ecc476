// A settings card about one year (节假日安排, 校历): the years offered, the year shown (next year
// from October, when next year is being planned), its data loaded when the year changes, and
// "back to the default" after asking.
import { onMounted, ref, watch, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'
import { useErrorToast } from './form-errors'

export interface YearSetting<T> {
  years: number[]
  year: Ref<number>
  data: Ref<T | null>
  editing: Ref<boolean>
  /** Asks (`confirm` text, `action` as title and button), then puts `clear`'s answer in place. */
  resetAfterAsking: (texts: { confirm: string; action: string; done: string }, clear: () => Promise<T>) => Promise<void>
}

export function useYearSetting<T>(load: (year: number) => Promise<T>, now: Date = new Date()): YearSetting<T> {
  const { t } = useI18n()
  const toast = useErrorToast()
  const thisYear = now.getFullYear()
  const years = [thisYear - 1, thisYear, thisYear + 1, thisYear + 2]
  const year = ref(now.getMonth() >= 9 ? thisYear + 1 : thisYear)
  const data = ref<T | null>(null) as Ref<T | null>
  const editing = ref(false)

  async function reload() {
    try {
      data.value = await load(year.value)
    } catch (e) {
      toast(e)
    }
  }
  watch(year, () => {
    editing.value = false
    void reload()
  })
  onMounted(reload)

  async function resetAfterAsking(texts: { confirm: string; action: string; done: string }, clear: () => Promise<T>) {
    try {
      await ElMessageBox.confirm(texts.confirm, texts.action, {
        type: 'warning',
        confirmButtonText: texts.action,
        cancelButtonText: t('common.cancel'),
      })
    } catch {
      return
    }
    try {
      data.value = await clear()
      ElMessage({ type: 'success', message: texts.done })
    } catch (e) {
      toast(e)
    }
  }

  return { years, year, data, editing, resetAfterAsking }
}
