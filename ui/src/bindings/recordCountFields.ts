// Generated from pufa-core's record_fields.rs by `cargo test`. Do not edit.
/** The optional counts of an activity record, in form order. */
export const RECORD_COUNTS = [
  { column: 'consultations', label: '咨询人次', label_en: 'Consultations' },
  { column: 'banners', label: '横幅', label_en: 'Banners' },
  { column: 'boards', label: '展板', label_en: 'Display boards' },
  { column: 'vehicles', label: '宣传车', label_en: 'Publicity vehicles' },
  { column: 'online_posts', label: '网络推送', label_en: 'Online posts' },
  { column: 'online_views', label: '浏览量', label_en: 'Online views' },
  { column: 'disputes', label: '调解纠纷', label_en: 'Disputes mediated' },
  { column: 'legal_aid_cases', label: '法律援助', label_en: 'Legal aid cases' },
  { column: 'volunteers', label: '志愿者人次', label_en: 'Volunteers' },
] as const
