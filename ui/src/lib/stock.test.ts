import { describe, expect, it } from 'vitest'
import { balancesByMaterial, isLow, signedQuantity, storeBalanceOf, TOWN_STORE_NAME, villageStoreName } from './stock'

const b = (material_id: string, store_name: string, balance: number) => ({
  material_id,
  material_name: material_id,
  unit: '册',
  store_id: store_name,
  store_name,
  balance,
})

describe('stock', () => {
  it('warns at or below a threshold, never for a threshold of 0', () => {
    expect(isLow({ low_stock: 50, balance: 50 })).toBe(true)
    expect(isLow({ low_stock: 50, balance: 51 })).toBe(false)
    expect(isLow({ low_stock: 0, balance: -3 })).toBe(false)
  })

  it('groups balances per material, the town store first', () => {
    const m = balancesByMaterial([
      b('m1', villageStoreName('石院村'), 20),
      b('m1', TOWN_STORE_NAME, 380),
      b('m2', villageStoreName('安静村'), -5),
    ])
    expect(m.get('m1')?.map((s) => s.store)).toEqual(['镇普法资料库', '石院村资料点'])
    expect(m.get('m1')?.[0].town).toBe(true)
    expect(m.get('m2')).toEqual([{ store: '安静村资料点', balance: -5, town: false }])
    expect(storeBalanceOf([b('m1', TOWN_STORE_NAME, 380)], 'm1', TOWN_STORE_NAME)).toBe(380)
    expect(storeBalanceOf([], 'm1', TOWN_STORE_NAME)).toBe(0)
  })

  it('receipts add, hand-outs take, transfers leave the total alone', () => {
    expect(signedQuantity({ kind: 'receipt', quantity: 100 })).toBe(100)
    expect(signedQuantity({ kind: 'handout', quantity: 30 })).toBe(-30)
    expect(signedQuantity({ kind: 'transfer', quantity: 30 })).toBe(0)
  })
})
