import { describe, expect, it } from 'vitest'
import { canEdit, needsComment, reviewActions } from './review'

describe('review actions per status and role', () => {
  it('the coordinator approves or returns pending records and re-opens approved ones', () => {
    expect(reviewActions('pending', 'coordinator')).toEqual(['approve', 'return'])
    expect(reviewActions('approved', 'coordinator')).toEqual(['reopen'])
    expect(reviewActions('returned', 'coordinator')).toEqual(['submit'])
  })

  it('a village cadre cannot review, only resubmit what was returned', () => {
    expect(reviewActions('pending', 'village_cadre')).toEqual([])
    expect(reviewActions('approved', 'village_cadre')).toEqual([])
    expect(reviewActions('returned', 'village_cadre')).toEqual(['submit'])
    expect(reviewActions('pending', 'leader')).toEqual([])
    expect(reviewActions('pending', null)).toEqual([])
  })

  it('returning and re-opening need a comment; approving and resubmitting do not', () => {
    expect(needsComment('return')).toBe(true)
    expect(needsComment('reopen')).toBe(true)
    expect(needsComment('approve')).toBe(false)
    expect(needsComment('submit')).toBe(false)
  })

  it('approved records are locked until re-opened', () => {
    expect(canEdit('approved')).toBe(false)
    expect(canEdit('pending')).toBe(true)
    expect(canEdit('returned')).toBe(true)
  })
})
