// The materials ledger as the window shows it: balances per store grouped by material, the
// low-stock test, movements in words.
import type { Balance } from '../bindings/Balance'
import type { Material } from '../bindings/Material'
import type { Movement } from '../bindings/Movement'

/** The core names stores this way (inventory::TOWN_STORE and "<村>资料点"). */
export const TOWN_STORE_NAME = '镇普法资料库'
export function villageStoreName(unitName: string): string {
  return `${unitName}资料点`
}

/** True when a material is at or below its threshold (a threshold of 0 never warns). */
export function isLow(m: Pick<Material, 'low_stock' | 'balance'>): boolean {
  return m.low_stock > 0 && m.balance <= m.low_stock
}

export interface StoreBalance {
  store: string
  balance: number
  town: boolean
}

/** Per material id: its stores, the town store first, then the villages by name. */
export function balancesByMaterial(balances: readonly Balance[]): Map<string, StoreBalance[]> {
  const out = new Map<string, StoreBalance[]>()
  for (const b of balances) {
    const list = out.get(b.material_id) ?? []
    list.push({ store: b.store_name, balance: Number(b.balance), town: b.store_name === TOWN_STORE_NAME })
    out.set(b.material_id, list)
  }
  for (const list of out.values()) {
    list.sort((a, b) => (a.town === b.town ? a.store.localeCompare(b.store, 'zh-CN') : a.town ? -1 : 1))
  }
  return out
}

/** The balance of one store for one material (0 when it never held any). */
export function storeBalanceOf(balances: readonly Balance[], materialId: string, storeName: string): number {
  return Number(balances.find((b) => b.material_id === materialId && b.store_name === storeName)?.balance ?? 0)
}

/** A movement's effect on the overall balance: receipts add, hand-outs take, transfers move. */
export function signedQuantity(m: Pick<Movement, 'kind' | 'quantity'>): number {
  return m.kind === 'receipt' ? m.quantity : m.kind === 'handout' ? -m.quantity : 0
}
