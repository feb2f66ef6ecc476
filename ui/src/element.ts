// Element Plus on demand (issue 19, weight). Components and v-loading arrive with the chunk
// whose template uses them: build/element-on-demand.ts (a Vite plugin) turns each <el-…> of a
// compiled template into an import of that component and its stylesheet, so the table and the
// date picker load with the screens that show them, not at start. Nothing to register here
// when a screen uses a new component.
//
// What stays at start: the styles of the services called from code (ElMessage, ElMessageBox,
// ElNotification), which no template names.
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/notification/style/css'
