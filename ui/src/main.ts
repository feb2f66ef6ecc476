import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import './styles/main.css'
import App from './App.vue'
import { i18n } from './i18n'
import { makeRouter } from './router'

async function bootstrap(): Promise<void> {
  // `npm run dev` in a plain browser has no Tauri backend: stand in an in-memory one.
  // import.meta.env.DEV is false in `vite build`, so the mock never reaches the bundle.
  if (import.meta.env.DEV && !(window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__) {
    const { installMockBackend } = await import('./dev/mock-backend')
    installMockBackend()
  }
  const app = createApp(App)
  app.use(ElementPlus)
  app.use(i18n)
  app.use(makeRouter())
  app.mount('#app')
}

void bootstrap()
