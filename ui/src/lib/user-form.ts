// The person form shared by the header's 添加使用人 and 设置's 本机使用人 (UserFields.vue).
import type { UserRole } from '../bindings/UserRole'

export interface UserForm {
  name: string
  role: UserRole
  /** The village's name; only a village cadre's counts. */
  village: string
}

/** The request's fields: a village only for a village cadre. */
export function userInput(form: UserForm): { name: string; role: UserRole; village: string | null } {
  return { name: form.name, role: form.role, village: form.role === 'village_cadre' ? form.village || null : null }
}
