// The activity editor's form (ActivityDialog): blank or from an activity, and back to the
// core's ActivityInput.
import type { Activity } from '../bindings/Activity'
import type { ActivityInput } from '../bindings/ActivityInput'
import type { PlannedMaterial } from '../bindings/PlannedMaterial'
import { todayIso } from './dates'

export interface ActivityForm {
  title: string
  date: string
  start_time: string
  end_time: string
  unit_id: string
  venue_type: string
  venue: string
  formats: string[]
  audiences: string[]
  laws: string[]
  campaign_ids: string[]
  nodes: string[]
  lead_person_id: string
  partners: string[]
  materials: PlannedMaterial[]
  expected_audience: number | null
  notes: string
}

export function blankActivityForm(d: Partial<ActivityInput> | null | undefined): ActivityForm {
  return {
    title: d?.title ?? '',
    date: d?.date ?? todayIso(),
    start_time: d?.start_time ?? '09:00',
    end_time: d?.end_time ?? '11:00',
    unit_id: d?.unit_id ?? '',
    venue_type: d?.venue_type ?? '',
    venue: d?.venue ?? '',
    formats: [...(d?.formats ?? [])],
    audiences: [...(d?.audiences ?? [])],
    laws: [...(d?.laws ?? [])],
    campaign_ids: [...(d?.campaign_ids ?? [])],
    nodes: [...(d?.nodes ?? [])],
    lead_person_id: d?.lead_person_id ?? '',
    partners: [...(d?.partners ?? [])],
    materials: (d?.materials ?? []).map((m) => ({ ...m })),
    expected_audience: d?.expected_audience == null ? null : Number(d.expected_audience),
    notes: d?.notes ?? '',
  }
}

export function activityFormFrom(a: Activity): ActivityForm {
  return {
    title: a.title,
    date: a.date,
    start_time: a.start_time ?? '',
    end_time: a.end_time ?? '',
    unit_id: a.unit_id ?? '',
    venue_type: a.venue_type ?? '',
    venue: a.venue,
    formats: [...a.formats],
    audiences: [...a.audiences],
    laws: [...a.laws],
    campaign_ids: [...a.campaign_ids],
    nodes: [...a.nodes],
    lead_person_id: a.lead_person_id ?? '',
    partners: [...a.partners],
    materials: a.materials.map((m) => ({ ...m })),
    expected_audience: a.expected_audience,
    notes: a.notes,
  }
}

export function toActivityInput(form: ActivityForm): ActivityInput {
  const blankToNull = (s: string) => (s.trim() ? s : null)
  return {
    title: form.title,
    date: form.date ?? '',
    start_time: blankToNull(form.start_time ?? ''),
    end_time: blankToNull(form.end_time ?? ''),
    unit_id: blankToNull(form.unit_id ?? ''),
    venue_type: blankToNull(form.venue_type ?? ''),
    venue: blankToNull(form.venue),
    formats: [...form.formats],
    audiences: [...form.audiences],
    laws: [...form.laws],
    campaign_ids: [...form.campaign_ids],
    nodes: [...form.nodes],
    lead_person_id: blankToNull(form.lead_person_id ?? ''),
    partners: [...form.partners],
    materials: form.materials.map((m) => ({ item: m.item, quantity: Math.max(0, Math.round(Number(m.quantity) || 0)), unit: m.unit })),
    expected_audience: form.expected_audience == null ? null : Math.round(form.expected_audience),
    notes: blankToNull(form.notes),
  }
}
