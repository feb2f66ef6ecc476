import { mount, flushPromises, type ComponentMountingOptions } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Component } from 'vue'
import { i18n, applyLocale } from '../src/i18n'
import { routes } from '../src/router'

export function makeTestRouter() {
  return createRouter({ history: createMemoryHistory(), routes })
}

/** Mounts a component with Element Plus, vue-i18n (zh-CN) and a memory router, attached to body. */
export function mountApp<C extends Component>(component: C, options: ComponentMountingOptions<C> = {}) {
  applyLocale('zh-CN')
  const router = makeTestRouter()
  const wrapper = mount(component, {
    attachTo: document.body,
    ...options,
    global: { plugins: [ElementPlus, i18n, router], ...(options.global ?? {}) },
  } as ComponentMountingOptions<C>)
  return { wrapper, router }
}

/** Waits for pending promises and Vue updates, a few rounds (IPC mocks resolve asynchronously). */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
  }
}

/** The el-form-item whose label text is exactly `label`. */
export function formItemByLabel(root: ParentNode, label: string): Element {
  const items = Array.from(root.querySelectorAll('.el-form-item'))
  const hit = items.find((item) => item.querySelector('.el-form-item__label')?.textContent?.trim() === label)
  if (!hit) throw new Error(`no form item labelled ${label}; labels: ${items.map((i) => i.querySelector('.el-form-item__label')?.textContent?.trim()).join(', ')}`)
  return hit
}

/** Types into a native input/textarea the way a user would (value + input event). */
export async function typeInto(el: Element | null, value: string): Promise<void> {
  if (!el) throw new Error('no element to type into')
  const input = el as HTMLInputElement | HTMLTextAreaElement
  input.value = value
  input.dispatchEvent(new Event('input', { bubbles: true }))
  await flushPromises()
}

/** Element Plus shows a form item's error 100 ms after it is set (debounced): wait past that. */
export async function settleErrors(): Promise<void> {
  await settle()
  await new Promise((r) => setTimeout(r, 150))
  await settle()
}

/** Polls until `check` passes (lazy route chunks load asynchronously), or fails after `ms`. */
export async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms: ${check.toString()}`)
    await new Promise((r) => setTimeout(r, 10))
    await flushPromises()
  }
  await settle()
}
