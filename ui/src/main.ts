import { createApp } from 'vue'
import './element'
import './styles/main.css'
import App from './App.vue'
import { i18n } from './i18n'
import { makeRouter } from './router'

// The window always talks to the real core over Tauri's IPC: there is no browser-only backend
// (develop with `cargo tauri dev`, see ui/README.md; tests mock the IPC per test).
const app = createApp(App)
app.use(i18n)
app.use(makeRouter())
app.mount('#app')
