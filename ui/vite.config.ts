/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { elementOnDemand } from './build/element-on-demand.ts'

// Tauri loads the built files from disk (base "./") and talks to `npm run dev` on a fixed port.
export default defineConfig({
  plugins: [vue(), elementOnDemand()],
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
