// Modules made by build/locale-split.ts.
declare module 'virtual:locale/loaders' {
  const loaders: Record<string, () => Promise<{ default: Record<string, unknown> }>>
  export default loaders
}
declare module 'virtual:locale/*' {
  const messages: Record<string, any>
  export default messages
}
