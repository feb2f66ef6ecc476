// One person form for the header's 添加使用人 and 设置's 本机使用人.
import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { ElForm } from 'element-plus'
import UserFields from './UserFields.vue'
import { userInput, type UserForm } from '../lib/user-form'
import { coreAnswer } from '../../tests/fixtures'
import { mountApp, settle, settleErrors, typeInto } from '../../tests/helpers'

const q = (id: string) => document.querySelector(`[data-testid="${id}"]`) as HTMLElement | null

describe('the person form', () => {
  afterEach(() => {
    clearMocks()
    document.body.innerHTML = ''
  })

  it('asks a village only of a village cadre, and sends it only for him', async () => {
    mockIPC((cmd, args) => (cmd === 'call' ? coreAnswer((args as { request: { cmd: string } }).request) ?? [] : null))
    const form = ref<UserForm>({ name: '', role: 'coordinator', village: '' })
    const Host = defineComponent({
      setup: () => () => h(ElForm, null, () => h(UserFields, { modelValue: form.value, 'onUpdate:modelValue': (v: UserForm) => (form.value = v), problems: { user_name: '请填写姓名' }, testid: 'p' })),
    })
    const { wrapper } = mountApp(Host)
    await settleErrors()
    expect(q('p-village')).toBeNull()
    expect(document.body.textContent).toContain('请填写姓名')
    const name = q('p-name')
    await typeInto(name?.tagName === 'INPUT' ? name : name?.querySelector('input') ?? null, '王小芳')
    const radio = q('p-role-village_cadre')
    ;((radio?.tagName === 'INPUT' ? radio : radio?.querySelector('input')) as HTMLInputElement).click()
    await settle()
    expect(form.value).toMatchObject({ name: '王小芳', role: 'village_cadre' })
    expect(q('p-village')).not.toBeNull()
    expect(userInput({ name: '王小芳', role: 'village_cadre', village: '安静村' })).toEqual({ name: '王小芳', role: 'village_cadre', village: '安静村' })
    expect(userInput({ name: '李明', role: 'coordinator', village: '安静村' }).village).toBeNull()
    wrapper.unmount()
  })
})
