import { describe, expect, it } from 'vitest'
import { splitList } from './lists'

describe('pasted lists', () => {
  it('takes one name per line, trimming and skipping blank lines', () => {
    expect(splitList('安静村\n  石院村 \r\n\n龙飞村\n')).toEqual(['安静村', '石院村', '龙飞村'])
  })

  it('accepts Chinese and English separators', () => {
    expect(splitList('甲村,乙村\n丙村、丁村；戊村， 己村;庚村')).toEqual([
      '甲村', '乙村', '丙村', '丁村', '戊村', '己村', '庚村',
    ])
  })

  it('gives nothing for empty input', () => {
    expect(splitList('')).toEqual([])
    expect(splitList(' \n ,、')).toEqual([])
    expect(splitList(null)).toEqual([])
  })

  it('keeps spaces inside a name', () => {
    expect(splitList('双龙镇 中心小学')).toEqual(['双龙镇 中心小学'])
  })
})
