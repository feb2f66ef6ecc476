// A 普法 node's name in the UI's language. The national catalogue's nodes (data/keydates.json
// in the core) have English names here, by their stable code; a town's local nodes are the
// user's own words and keep them.
import EN from '../locales/en/keydates.json'

const NAMES: Record<string, string> = EN

export function nodeName(node: { code: string; name: string }, locale: string): string {
  return locale.startsWith('en') ? (NAMES[node.code] ?? node.name) : node.name
}

/** The codes that have an English name (a test checks the catalogue is covered). */
export const ENGLISH_NODE_CODES = Object.keys(NAMES)
