/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { elementOnDemand } from './build/element-on-demand.ts'
import { localeSplit } from './build/locale-split.ts'
import { SHELL_AREAS } from './src/locale-areas.ts'

// Tauri loads the built files from disk (base "./") and talks to `npm run dev` on a fixed port.
export default defineConfig({
  plugins: [vue(), elementOnDemand(), localeSplit(fileURLToPath(new URL('./src/locales', import.meta.url)), SHELL_AREAS)],
  base: './',
  clearScreen: false,
  envPrefix: ['VITE_', 'TAURI_'],
  server: {
    port: 5173,
    strictPort: true,
  },
  define: {
    // vue-i18n: composition API only, no devtools in the bundle.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    css: false,
    // Screens are mounted without their routes: every message is loaded first.
    setupFiles: ['tests/setup.ts'],
    // A cold first mount of Element Plus forms takes seconds when several engineers' builds
    // share the two cores: 5 s timed out there (a different file each run).
    testTimeout: 30000,
    server: {
      deps: {
        inline: ['element-plus'],
      },
    },
  },
})
