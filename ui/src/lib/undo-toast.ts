// A success toast with 撤销 (undo) instead of an "are you sure?" dialog: the action is done at
// once, and can be taken back while the toast is up. The shell closes toasts on changing page
// (AppLayout), so 撤销 never acts on a page no longer shown.
import { h } from 'vue'
import { ElButton, ElMessage } from 'element-plus'

export interface UndoToast {
  close: () => void
}

export function undoToast(message: string, undoLabel: string, onUndo: () => void | Promise<void>, testid = 'undo-toast'): UndoToast {
  let handle: UndoToast | null = null
  handle = ElMessage({
    type: 'success',
    duration: 10_000,
    showClose: true,
    message: h('span', { class: 'undo-toast' }, [
      message,
      h(
        ElButton,
        {
          link: true,
          type: 'primary',
          style: 'margin-left: 12px',
          'data-testid': testid,
          onClick: () => {
            handle?.close()
            void onUndo()
          },
        },
        () => undoLabel,
      ),
    ]),
  })
  return handle
}
