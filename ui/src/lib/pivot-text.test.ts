import { describe, expect, it } from 'vitest'
import type { PivotTable } from '../bindings/PivotTable'
import { pivotHeading, pivotTitle, pivotUnit } from './pivot-text'

const HAN = /[\u3400-\u9fff]/
const t = (key: string) => ({ 'pivot.unfilled': '(not filled in)', 'pivot.dim.village': 'Village / unit', 'pivot.dim.month': 'Month', 'pivot.measure.activities': 'Activities', 'enums.audience.students': 'Students', 'enums.activityFormat.quiz': 'Quiz' })[key] ?? key

describe('the pivot table in English', () => {
  it('headings from their keys; the user’s names stay', () => {
    expect(pivotHeading('month', { key: '2026-05', label: '2026年5月' }, t, 'en')).toBe('May 2026')
    expect(pivotHeading('month', { key: '2026-05', label: '2026年5月' }, t, 'zh-CN')).toBe('2026年5月')
    expect(pivotHeading('node', { key: 'constitution_week', label: '宪法宣传周' }, t, 'en')).toBe('Constitution Week')
    expect(pivotHeading('law', { key: '民法典', label: '民法典' }, t, 'en')).toBe('Civil Code')
    expect(pivotHeading('audience', { key: 'students', label: '学生' }, t, 'en')).toBe('Students')
    expect(pivotHeading('format', { key: 'quiz', label: '有奖问答' }, t, 'en')).toBe('Quiz')
    expect(pivotHeading('unit', { key: '册', label: '册' }, t, 'en')).toBe('booklets')
    expect(pivotHeading('material', { key: 'm1', label: '宪法读本（册）' }, t, 'en')).toBe('宪法读本 (booklets)')
    expect(pivotHeading('village', { key: 'u1', label: '安静村' }, t, 'en')).toBe('安静村')
    expect(pivotHeading('law', { key: '', label: '（未填）' }, t, 'en')).toBe('(not filled in)')
  })

  it('title and unit from the period, scope and grouping', () => {
    const tb = {
      from: '2026-01-01',
      to: '2026-12-31',
      rows: 'village',
      cols: 'month',
      measure: 'activities',
      measure_unit: '场次',
      title: '2026年1月1日至2026年12月31日　全镇　活动场次（场次），按村/单位、月份（已审核通过的活动记录）',
    } as PivotTable
    expect(pivotTitle(tb, '', t, 'zh-CN')).toBe(tb.title)
    const en = pivotTitle(tb, '', t, 'en')
    expect(en).toBe('1 Jan 2026 – 31 Dec 2026 · whole town · Activities, by village / unit and month')
    expect(en).not.toMatch(HAN)
    expect(pivotUnit({ measure: 'quantity', measure_unit: '份、册' }, 'en')).toBe('copies, booklets')
    expect(pivotUnit({ measure: 'quantity', measure_unit: '份、册' }, 'zh-CN')).toBe('份、册')
  })
})
