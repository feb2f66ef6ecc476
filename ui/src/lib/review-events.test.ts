import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { mount } from '@vue/test-utils'
import { onReviewChanged, reviewChanged } from './review-events'
import type { ActivityRecord } from './records'

describe('review events', () => {
  it('reach a listening screen while it is mounted, and no longer after', () => {
    const seen: string[] = []
    const Screen = defineComponent({
      setup() {
        onReviewChanged((r) => seen.push(r.id))
        return () => h('div')
      },
    })
    const w = mount(Screen)
    reviewChanged({ id: 'a' } as ActivityRecord)
    w.unmount()
    reviewChanged({ id: 'b' } as ActivityRecord)
    expect(seen).toEqual(['a'])
  })
})
