// Vitest: screens are mounted without their routes, so every message is loaded up front.
import { loadAllMessages } from '../src/i18n'

await loadAllMessages()
