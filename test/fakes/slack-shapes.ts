/**
 * Response objects and request checks of the fake Slack (test/fakes/slack.ts), in the shapes of
 * Slack's Web API spec and its documented modal limits.
 */
import type { FakeUser, FakeUsergroup, StoredMessage } from './slack.js';

type Json = Record<string, unknown>;
/** `undefined` = no metadata given, `null` = malformed. */
export function parseMetadata(v: unknown): StoredMessage['metadata'] | undefined | null {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null) return null;
  const m = v as Json;
  if (typeof m.event_type !== 'string' || typeof m.event_payload !== 'object' || m.event_payload === null) return null;
  return { event_type: m.event_type, event_payload: m.event_payload as Json };
}

export function publicMessage(m: StoredMessage, withMetadata: boolean): Json {
  const { metadata, ...rest } = m;
  return withMetadata && metadata ? { ...rest, metadata } : { ...rest };
}

export function userObject(u: FakeUser, teamId: string): Json {
  const realName = u.real_name ?? u.name;
  const display = u.display_name ?? u.name;
  const zone = u.tz ?? 'UTC';
  return {
    id: u.id,
    team_id: teamId,
    name: u.name,
    deleted: false,
    real_name: realName,
    tz: zone,
    tz_label: zoneLabel(zone),
    tz_offset: zoneOffsetSeconds(zone),
    is_bot: u.is_bot ?? false,
    is_app_user: false,
    is_admin: false,
    is_owner: false,
    updated: Math.floor(Date.now() / 1000),
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: display,
      display_name_normalized: display,
      avatar_hash: 'g0000000000',
      title: '',
      phone: '',
      skype: '',
      status_text: '',
      status_emoji: '',
      fields: null,
      team: teamId,
    },
  };
}

export function usergroupObject(g: FakeUsergroup, teamId: string, includeUsers: boolean): Json {
  return {
    id: g.id,
    team_id: teamId,
    is_usergroup: true,
    is_subteam: true,
    name: g.name,
    description: '',
    handle: g.handle,
    is_external: false,
    date_create: 1_600_000_000,
    date_update: 1_600_000_000,
    date_delete: g.disabled ? 1_700_000_000 : 0,
    auto_type: null,
    auto_provision: false,
    enterprise_subteam_id: '',
    created_by: 'USLACKBOT',
    updated_by: 'USLACKBOT',
    deleted_by: g.disabled ? 'U0DAY2BOT' : null,
    prefs: { channels: [], groups: [] },
    user_count: g.users.length,
    ...(includeUsers ? { users: [...g.users] } : {}),
  };
}

/** The zone's name part (`GMT+01:00`, `Central European Standard Time`); undefined for unknown zones. */
function zonePart(zone: string, style: 'longOffset' | 'long'): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: style }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value;
  } catch {
    // Tests may give users a bogus zone on purpose; Slack would still send the string.
    return undefined;
  }
}

function zoneOffsetSeconds(zone: string): number {
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(zonePart(zone, 'longOffset') ?? 'GMT');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
}

function zoneLabel(zone: string): string {
  return zonePart(zone, 'long') ?? zone;
}

/** Limits Slack enforces on modals (docs.slack.dev, "Modal views" and the block references). */
export function modalProblems(view: Json | undefined): string[] {
  if (!view || typeof view !== 'object') return ['`view` must be a JSON object'];
  const problems: string[] = [];
  const text = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Json).text : undefined);
  if (view.type !== 'modal') problems.push('view.type must be "modal"');
  const title = text(view.title);
  if (typeof title !== 'string' || title.length === 0 || title.length > 24) problems.push('view.title.text must be 1-24 characters');
  for (const k of ['submit', 'close'] as const) {
    const t = text(view[k]);
    if (view[k] !== undefined && (typeof t !== 'string' || t.length > 24)) problems.push(`view.${k}.text must be at most 24 characters`);
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) problems.push('view.private_metadata must be at most 3000 characters');
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) problems.push('view.callback_id must be at most 255 characters');
  const blocks = view.blocks;
  if (!Array.isArray(blocks)) return [...problems, 'view.blocks must be an array'];
  if (blocks.length > 100) problems.push('view.blocks must hold at most 100 blocks');
  const ids = new Set<string>();
  let inputs = 0;
  blocks.forEach((b: Json, i) => {
    if (typeof b?.type !== 'string') problems.push(`view.blocks[${i}].type missing`);
    if (typeof b?.block_id === 'string') {
      if (ids.has(b.block_id)) problems.push(`view.blocks[${i}].block_id "${b.block_id}" is not unique`);
      if (b.block_id.length > 255) problems.push(`view.blocks[${i}].block_id too long`);
      ids.add(b.block_id);
    }
    if (b?.type === 'input') {
      inputs++;
      const label = text(b.label);
      if (typeof label !== 'string' || label.length === 0 || label.length > 2000) problems.push(`view.blocks[${i}].label.text must be 1-2000 characters`);
      const el = b.element as Json | undefined;
      if (!el || typeof el.type !== 'string') problems.push(`view.blocks[${i}].element missing`);
      else {
        if (typeof el.action_id === 'string' && el.action_id.length > 255) problems.push(`view.blocks[${i}].element.action_id too long`);
        const options = el.options as unknown[] | undefined;
        if ((el.type === 'static_select' || el.type === 'multi_static_select') && (!Array.isArray(options) || options.length === 0 || options.length > 100)) problems.push(`view.blocks[${i}].element.options must hold 1-100 options`);
        if ((el.type === 'checkboxes' || el.type === 'radio_buttons') && (!Array.isArray(options) || options.length === 0 || options.length > 10)) problems.push(`view.blocks[${i}].element.options must hold 1-10 options`);
        if (typeof el.max_length === 'number' && el.max_length > 3000) problems.push(`view.blocks[${i}].element.max_length must be at most 3000`);
      }
    }
  });
  if (inputs > 0 && view.submit === undefined) problems.push('view.submit is required when the view has input blocks');
  return problems;
}

/** One `view.state.values[block][action]` entry, shaped like Slack's for the element type. */
export function stateValue(element: Json, given: string | string[] | boolean | undefined): Json {
  const type = String(element.type);
  const options = (element.options as { text: Json; value: string }[] | undefined) ?? [];
  const option = (v: string) => options.find((o) => o.value === v) ?? { text: { type: 'plain_text', text: v }, value: v };
  switch (type) {
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: typeof given === 'string' ? option(given) : null };
    case 'multi_static_select':
      return { type, selected_options: (Array.isArray(given) ? given : given === undefined ? [] : [String(given)]).map(option) };
    case 'checkboxes': {
      const picked = given === true ? [options[0]?.value ?? 'true'] : Array.isArray(given) ? given : typeof given === 'string' ? [given] : [];
      return { type, selected_options: picked.map(option) };
    }
    case 'datepicker':
      return { type, selected_date: typeof given === 'string' ? given : null };
    default:
      return { type, value: given === undefined ? null : String(given) };
  }
}
