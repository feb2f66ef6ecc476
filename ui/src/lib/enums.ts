// The code lists of the backend's enums, in display order. The `satisfies` + `Exhaustive`
// checks make `npm run typecheck` fail when the Rust side adds a code the UI does not list.
import type { Audience } from '../bindings/Audience'
import type { CampaignKind } from '../bindings/CampaignKind'
import type { ErrorCode } from '../bindings/ErrorCode'
import type { PersonRole } from '../bindings/PersonRole'
import type { UnitKind } from '../bindings/UnitKind'
import type { UserRole } from '../bindings/UserRole'
import type { VenueType } from '../bindings/VenueType'
import type { ActivityFormat } from '../bindings/ActivityFormat'
import type { ActivityStatus } from '../bindings/ActivityStatus'
import type { ConflictKind } from '../bindings/ConflictKind'
import type { DateSource } from '../bindings/DateSource'
import type { HolidaySource } from '../bindings/HolidaySource'
import type { MovementKind } from '../bindings/MovementKind'
import type { ReviewStatus } from '../bindings/ReviewStatus'

type Exhaustive<All, Listed extends readonly All[]> = [Exclude<All, Listed[number]>] extends [never]
  ? true
  : { missing: Exclude<All, Listed[number]> }

export const UNIT_KINDS = ['village', 'community', 'school', 'enterprise', 'site'] as const satisfies readonly UnitKind[]
export const PERSON_ROLES = [
  'village_cadre',
  'legal_adviser',
  'vice_principal',
  'police',
  'judge',
  'lawyer',
  'legal_understander',
  'volunteer',
  'staff',
  'other',
] as const satisfies readonly PersonRole[]
export const USER_ROLES = ['coordinator', 'village_cadre', 'leader'] as const satisfies readonly UserRole[]
export const AUDIENCES = [
  'leading_cadres',
  'civil_servants',
  'village_committee',
  'legal_understanders',
  'students',
  'teachers_parents',
  'residents',
  'migrant_workers',
  'business',
  'elderly',
  'women',
  'disabled',
  'corrections',
  'other',
] as const satisfies readonly Audience[]
export const CAMPAIGN_KINDS = ['national', 'targeted', 'local'] as const satisfies readonly CampaignKind[]

export const VENUE_TYPES = [
  'market',
  'courtyard',
  'school',
  'worksite',
  'station',
  'enterprise',
  'service_center',
  'household',
  'square',
  'online',
  'other',
] as const satisfies readonly VenueType[]

export const ACTIVITY_FORMATS = [
  'courtyard_meeting',
  'law_class',
  'lecture',
  'street_campaign',
  'case_explained',
  'quiz',
  'consultation',
  'door_to_door',
  'performance',
  'mock_trial',
  'morning_reading',
  'online',
  'other',
] as const satisfies readonly ActivityFormat[]

export const ACTIVITY_STATUSES = ['planned', 'held', 'cancelled', 'postponed'] as const satisfies readonly ActivityStatus[]

export const CONFLICT_KINDS = [
  'person_double',
  'venue_double',
  'village_half_day',
  'outside_campaign',
  'holiday',
  'weekend',
  'school_break',
] as const satisfies readonly ConflictKind[]

export const DATE_SOURCES = ['rule', 'published', 'override', 'provisional'] as const satisfies readonly DateSource[]
export const HOLIDAY_SOURCES = ['custom', 'official', 'estimated'] as const satisfies readonly HolidaySource[]
// Record keeping (issue 4).
export const REVIEW_STATUSES = ['pending', 'returned', 'approved'] as const satisfies readonly ReviewStatus[]
export const MOVEMENT_KINDS = ['receipt', 'handout', 'transfer'] as const satisfies readonly MovementKind[]
/** Attachment kinds (a plain string in the core: photo | sign_in | plan | other). */
export const ATTACHMENT_KINDS = ['photo', 'sign_in', 'plan', 'other'] as const
/** The units the materials catalogue accepts (inventory::UNITS in the core). */
export const STOCK_UNITS = ['份', '册', '本', '张', '个', '件', '条', '块', '套', '盒', '袋', '瓶'] as const
export const ERROR_CODES = [
  'required',
  'too_long',
  'control_chars',
  'duplicate',
  'invalid_date',
  'date_order',
  'invalid_value',
  'not_found',
  'not_initialized',
  'already_initialized',
  'data_dir_not_dir',
  'data_dir_readonly',
  'database_newer',
  'database',
  'io',
  'bad_request',
  'stock_negative',
  'locked',
  'forbidden',
  'file_rejected',
  'cancelled',
  'other_town',
  'unknown_device',
] as const satisfies readonly ErrorCode[]

// Compile-time completeness checks (each must be `true`).
export const enumsComplete: [
  Exhaustive<UnitKind, typeof UNIT_KINDS>,
  Exhaustive<PersonRole, typeof PERSON_ROLES>,
  Exhaustive<UserRole, typeof USER_ROLES>,
  Exhaustive<Audience, typeof AUDIENCES>,
  Exhaustive<CampaignKind, typeof CAMPAIGN_KINDS>,
  Exhaustive<ErrorCode, typeof ERROR_CODES>,
  Exhaustive<VenueType, typeof VENUE_TYPES>,
  Exhaustive<ActivityFormat, typeof ACTIVITY_FORMATS>,
  Exhaustive<ActivityStatus, typeof ACTIVITY_STATUSES>,
  Exhaustive<ConflictKind, typeof CONFLICT_KINDS>,
  Exhaustive<DateSource, typeof DATE_SOURCES>,
  Exhaustive<HolidaySource, typeof HOLIDAY_SOURCES>,
  Exhaustive<ReviewStatus, typeof REVIEW_STATUSES>,
  Exhaustive<MovementKind, typeof MOVEMENT_KINDS>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true]

/** The i18n key prefix of each enum's labels: `${prefix}.${code}`. */
export const ENUM_KEYS = {
  unitKind: UNIT_KINDS,
  personRole: PERSON_ROLES,
  userRole: USER_ROLES,
  audience: AUDIENCES,
  campaignKind: CAMPAIGN_KINDS,
  venueType: VENUE_TYPES,
  activityFormat: ACTIVITY_FORMATS,
  activityStatus: ACTIVITY_STATUSES,
  conflictKind: CONFLICT_KINDS,
  dateSource: DATE_SOURCES,
  holidaySource: HOLIDAY_SOURCES,
  reviewStatus: REVIEW_STATUSES,
  movementKind: MOVEMENT_KINDS,
  attachmentKind: ATTACHMENT_KINDS,
} as const

export type EnumName = keyof typeof ENUM_KEYS

export function isVillageLevel(kind: string): boolean {
  return kind === 'village' || kind === 'community'
}

/** Element Plus tag colours for campaign kinds. */
export const CAMPAIGN_KIND_TAG: Record<CampaignKind, 'danger' | 'warning' | 'success'> = {
  national: 'danger',
  targeted: 'warning',
  local: 'success',
}

/** Suggestions for 法律/主题; the user may type any other. */
export const THEME_SUGGESTIONS = [
  '宪法',
  '民法典',
  '国家安全法',
  '法治宣传教育法',
  '劳动合同法',
  '保障农民工工资支付条例',
  '未成年人保护法',
  '预防未成年人犯罪法',
  '禁毒法',
  '安全生产法',
  '反电信网络诈骗法',
  '反有组织犯罪法',
  '消防法',
  '道路交通安全法',
  '森林法',
  '土地管理法',
  '农村土地承包法',
  '乡村振兴促进法',
  '妇女权益保障法',
  '老年人权益保障法',
  '反家庭暴力法',
  '民族团结进步',
  '人民调解法',
  '法律援助法',
  '信访工作条例',
  '食品安全法',
  '生态环境保护',
  '防范非法集资',
  '扫黑除恶',
  '网络安全法',
]

/** Element Plus tag colours for activity statuses. */
export const ACTIVITY_STATUS_TAG: Record<ActivityStatus, 'primary' | 'success' | 'info' | 'warning'> = {
  planned: 'primary',
  held: 'success',
  cancelled: 'info',
  postponed: 'warning',
}

/** Element Plus tag colours for where a key date's dates come from. */
export const DATE_SOURCE_TAG: Record<DateSource, 'info' | 'success' | 'warning' | 'danger'> = {
  rule: 'info',
  published: 'success',
  override: 'warning',
  provisional: 'danger',
}

/** Units for planned materials (份, 册 …). */
export const MATERIAL_UNITS = ['份', '册', '本', '张', '个', '件', '条', '块']

/** Partner units a township usually works with; any other may be typed. */
export const PARTNER_SUGGESTIONS = [
  '派出所',
  '法庭',
  '妇联',
  '团委',
  '律所',
  '司法所',
  '人社所',
  '市场监管所',
  '应急办',
  '学校',
  '村委会',
  '法律服务所',
]
