import { describe, expect, it } from 'vitest'
import { describeMarket, digitLabel, marketText } from './market'

describe('market days', () => {
  it('writes the cycle as the core reads it', () => {
    expect(marketText('lunar', [7, 1, 4])).toBe('农历1/4/7')
    expect(marketText('solar', [5, 0])).toBe('公历0/5')
    expect(marketText('none', [1, 4, 7])).toBe('')
    expect(marketText('lunar', [])).toBe('')
  })

  it('says it as a cadre would', () => {
    expect(describeMarket({ lunar: true, digits: [1, 4, 7] })).toBe('农历逢一、四、七')
    expect(describeMarket({ lunar: false, digits: [0, 5] })).toBe('公历逢十、五')
    expect(describeMarket({ lunar: true, digits: [3, 6, 9] }, 'en')).toBe('lunar days ending in 3, 6, 9')
    expect(describeMarket(null)).toBe('')
    expect(digitLabel(0)).toBe('逢十')
  })
})
