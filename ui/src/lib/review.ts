// The review state machine as the window offers it (the core enforces the same rules):
// 待审核 → 通过 / 退回 (coordinator); 已通过 → 重新打开 (coordinator, with a reason);
// 已退回 → 修改后重新提交 (anyone). Approved records are locked.
import type { ReviewAction } from '../bindings/ReviewAction'
import type { ReviewStatus } from '../bindings/ReviewStatus'
import type { UserRole } from '../bindings/UserRole'

export { REVIEW_STATUSES } from './enums'

export const REVIEW_STATUS_TAG: Record<ReviewStatus, 'warning' | 'danger' | 'success'> = {
  pending: 'warning',
  returned: 'danger',
  approved: 'success',
}

/** The review actions a user of `role` may take on a record in `status`, in button order. */
export function reviewActions(status: ReviewStatus, role: UserRole | null | undefined): ReviewAction[] {
  const coordinator = role === 'coordinator'
  switch (status) {
    case 'pending':
      return coordinator ? ['approve', 'return'] : []
    case 'approved':
      return coordinator ? ['reopen'] : []
    case 'returned':
      return ['submit']
  }
}

/** Actions that need a comment (退回: what to fix; 重新打开: why). */
export function needsComment(action: ReviewAction): boolean {
  return action === 'return' || action === 'reopen'
}

/** Whether the record's fields may be changed: approved ones are locked until re-opened. */
export function canEdit(status: ReviewStatus): boolean {
  return status !== 'approved'
}

/** Deleting follows editing: only records not yet approved. */
export const canDelete = canEdit
