import { describe, expect, it } from 'vitest'
import { parseTypedDate, pastDateProblem } from './typed-date'

const TODAY = '2027-12-07'

describe('parseTypedDate', () => {
  it.each([
    ['2027-12-04', '2027-12-04'],
    ['2027.12.4', '2027-12-04'],
    ['2027/12/4', '2027-12-04'],
    ['2027年12月4日', '2027-12-04'],
    ['2027年12月4号', '2027-12-04'],
    ['20271204', '2027-12-04'],
    ['12月4日', '2027-12-04'],
    ['12月4号', '2027-12-04'],
    ['12/4', '2027-12-04'],
    ['12-4', '2027-12-04'],
    ['12.4', '2027-12-04'],
    ['  2027 - 12 - 04 ', '2027-12-04'],
    ['２０２７．１２．４', '2027-12-04'],
    ['１２／４', '2027-12-04'],
    ['今天', '2027-12-07'],
    ['昨天', '2027-12-06'],
    ['前天', '2027-12-05'],
  ])('%s → %s', (text, iso) => {
    expect(parseTypedDate(text, TODAY)).toEqual({ iso })
  })

  it('a date without a year is the one nearest today', () => {
    expect(parseTypedDate('12/4', '2028-01-05')).toEqual({ iso: '2027-12-04' })
    expect(parseTypedDate('1/5', '2027-12-20')).toEqual({ iso: '2028-01-05' })
    expect(parseTypedDate('6月1日', '2027-12-07')).toEqual({ iso: '2027-06-01' })
    expect(parseTypedDate('2/29', '2028-03-01')).toEqual({ iso: '2028-02-29' })
  })

  it('refuses what is not a calendar day, and says what it could not read', () => {
    expect(parseTypedDate('2027-02-30', TODAY)).toEqual({ error: 'invalid' })
    expect(parseTypedDate('13/4', TODAY)).toEqual({ error: 'invalid' })
    expect(parseTypedDate('2/30', TODAY)).toEqual({ error: 'invalid' })
    expect(parseTypedDate('下周三', TODAY)).toEqual({ error: 'unreadable' })
    expect(parseTypedDate('abc', TODAY)).toEqual({ error: 'unreadable' })
    expect(parseTypedDate('   ', TODAY)).toEqual({ error: 'empty' })
  })
})

describe('pastDateProblem', () => {
  it('a date after today is a plan, not a record', () => {
    expect(pastDateProblem('2027-12-08', TODAY)).toEqual({ iso: '2027-12-08', problem: 'future' })
    expect(pastDateProblem('12/7', TODAY)).toEqual({ iso: '2027-12-07', problem: null })
    expect(pastDateProblem('2027年12月4日', TODAY)).toEqual({ iso: '2027-12-04', problem: null })
    expect(pastDateProblem('x', TODAY)).toEqual({ iso: null, problem: 'unreadable' })
    expect(pastDateProblem('', TODAY)).toEqual({ iso: null, problem: null })
  })
})
