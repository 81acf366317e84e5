/**
 * Day2 forms <-> Slack modals: a FormSpec becomes a `modal` view of input blocks (one per field,
 * block_id = action_id = field name), and a submitted `view.state.values` becomes the neutral
 * `values` record. Limits from docs.slack.dev (modal views, input block, each element).
 */
import type { FormField, FormSpec } from '../message.js';
import { PermanentError } from '../../errors.js';
import { markupToPlain } from '../../render/plain.js';
import type { SerializeOptions } from '../../render/serialize-options.js';

const TITLE_MAX = 24;
const BUTTON_MAX = 24;
const BLOCKS_MAX = 100;
const PRIVATE_METADATA_MAX = 3000;
const CALLBACK_ID_MAX = 255;
const LABEL_MAX = 2000;
const HINT_MAX = 2000;
const PLACEHOLDER_MAX = 150;
const SECTION_TEXT_MAX = 3000;
const INPUT_LENGTH_MAX = 3000;
const SELECT_OPTIONS_MAX = 100;
const OPTION_TEXT_MAX = 75;
const OPTION_VALUE_MAX = 150;
const FIELD_NAME = /^[A-Za-z0-9_]{1,255}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

type Json = Record<string, unknown>;

/** What private_metadata carries: the form's own state plus where to answer after submission. */
export interface ModalMetadata {
  state: string;
  channelId?: string;
}

/**
 * private_metadata is stored by Slack and only comes back inside signed view_submission
 * payloads, so users cannot alter it and no extra integrity check is needed here.
 */
export function encodeMetadata(meta: ModalMetadata): string {
  return JSON.stringify({ d2: 1, s: meta.state, ...(meta.channelId ? { c: meta.channelId } : {}) });
}

export function decodeMetadata(raw: string): ModalMetadata {
  try {
    const v = JSON.parse(raw) as { d2?: unknown; s?: unknown; c?: unknown };
    if (v && v.d2 === 1 && typeof v.s === 'string') return { state: v.s, ...(typeof v.c === 'string' ? { channelId: v.c } : {}) };
  } catch {
    // Not ours (e.g. a view opened by something else): hand the raw text on as the state.
  }
  return { state: raw };
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const plain = (text: string, max: number) => ({ type: 'plain_text', text: clip(text, max), emoji: true });

export function formToModal(form: FormSpec, context: { channelId?: string }, opts: SerializeOptions): Json {
  const invalid = (why: string) => new PermanentError('permanent', `form "${form.formId}": ${why}`);
  if (form.formId.length === 0 || form.formId.length > CALLBACK_ID_MAX) throw invalid(`formId must be 1-${CALLBACK_ID_MAX} characters`);
  const privateMetadata = encodeMetadata({ state: form.state, ...(context.channelId ? { channelId: context.channelId } : {}) });
  // Cutting the state would corrupt it; the caller must keep state small (ids, not documents).
  if (privateMetadata.length > PRIVATE_METADATA_MAX) throw invalid(`state is too large for a Slack modal (${privateMetadata.length} > ${PRIVATE_METADATA_MAX} characters with envelope)`);

  const blocks: Json[] = [];
  if (form.introduction) {
    const intro = markupToPlain(form.introduction, opts).trim();
    if (intro) blocks.push({ type: 'section', block_id: 'day2_intro', text: plain(intro, SECTION_TEXT_MAX) });
  }
  const names = new Set<string>();
  for (const field of form.fields) {
    if (!FIELD_NAME.test(field.name) || field.name === 'day2_intro') throw invalid(`field name "${field.name}" must be letters, digits and "_"`);
    if (names.has(field.name)) throw invalid(`field name "${field.name}" is used twice`);
    names.add(field.name);
    blocks.push(inputBlock(field, invalid));
  }
  if (blocks.length > BLOCKS_MAX) throw invalid(`${blocks.length} blocks exceed Slack's ${BLOCKS_MAX} per modal`);

  return {
    type: 'modal',
    callback_id: form.formId,
    title: plain(form.title, TITLE_MAX),
    submit: plain(form.submitLabel, BUTTON_MAX),
    close: plain('Cancel', BUTTON_MAX),
    // Slack then sends view_closed with the fields as they stood, so a closed form can keep them.
    notify_on_close: true,
    private_metadata: privateMetadata,
    blocks,
  };
}

function inputBlock(field: FormField, invalid: (why: string) => Error): Json {
  return {
    type: 'input',
    block_id: field.name,
    optional: !field.required,
    label: plain(field.label, LABEL_MAX),
    ...(field.help ? { hint: plain(field.help, HINT_MAX) } : {}),
    element: { action_id: field.name, ...element(field, invalid) },
  };
}

function element(field: FormField, invalid: (why: string) => Error): Json {
  const placeholder = field.placeholder ? { placeholder: plain(field.placeholder, PLACEHOLDER_MAX) } : {};
  const initial = typeof field.initial === 'string' ? field.initial : undefined;
  const initialList = Array.isArray(field.initial) ? field.initial : initial !== undefined ? [initial] : [];
  switch (field.type) {
    case 'text':
    case 'textarea':
      return {
        type: 'plain_text_input',
        ...(field.type === 'textarea' ? { multiline: true } : {}),
        max_length: Math.min(field.maxLength ?? INPUT_LENGTH_MAX, INPUT_LENGTH_MAX),
        ...(initial !== undefined ? { initial_value: initial } : {}),
        ...placeholder,
      };
    case 'url':
      return { type: 'url_text_input', ...(initial !== undefined ? { initial_value: initial } : {}), ...placeholder };
    case 'integer':
      return {
        type: 'number_input',
        is_decimal_allowed: false,
        ...(field.min !== undefined ? { min_value: String(field.min) } : {}),
        ...(field.max !== undefined ? { max_value: String(field.max) } : {}),
        ...(initial !== undefined && /^-?\d+$/.test(initial) ? { initial_value: initial } : {}),
        ...placeholder,
      };
    case 'select':
    case 'multiselect': {
      const options = selectOptions(field, invalid);
      const chosen = options.filter((o) => initialList.includes(o.value));
      if (field.type === 'select') return { type: 'static_select', options, ...(chosen[0] ? { initial_option: chosen[0] } : {}), ...placeholder };
      return { type: 'multi_static_select', options, ...(chosen.length > 0 ? { initial_options: chosen } : {}), ...placeholder };
    }
    case 'boolean': {
      // One checkbox whose value is "true": unticked submits no option, read back as "false".
      const option = { text: plain(field.placeholder ?? 'Yes', OPTION_TEXT_MAX), value: 'true' };
      return { type: 'checkboxes', options: [option], ...(initial === 'true' ? { initial_options: [option] } : {}) };
    }
    case 'date':
      return { type: 'datepicker', ...(initial !== undefined && ISO_DATE.test(initial) ? { initial_date: initial } : {}), ...placeholder };
  }
}

function selectOptions(field: FormField, invalid: (why: string) => Error): { text: Json; value: string }[] {
  const options = field.options ?? [];
  if (options.length === 0 || options.length > SELECT_OPTIONS_MAX) throw invalid(`field "${field.name}" needs 1-${SELECT_OPTIONS_MAX} options, has ${options.length}`);
  return options.map((o) => {
    // A cut value would come back as a different value, so refuse instead of truncating.
    if (o.value.length === 0 || o.value.length > OPTION_VALUE_MAX) throw invalid(`option value "${o.value.slice(0, 20)}…" of "${field.name}" must be 1-${OPTION_VALUE_MAX} characters`);
    return { text: plain(o.label, OPTION_TEXT_MAX), value: o.value };
  });
}

/** One element's state as Slack sends it in `view.state.values[block_id][action_id]`. */
export interface SlackStateValue {
  type: string;
  value?: string | null;
  selected_date?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
}

/**
 * Flatten `view.state.values` by block id (= field name). Empty optional fields are left out;
 * multiselects give arrays; the boolean checkbox always gives "true" or "false".
 */
export function readFormValues(values: Record<string, Record<string, SlackStateValue>>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const state = Object.values(actions)[0];
    if (!state) continue;
    switch (state.type) {
      case 'checkboxes':
        out[blockId] = (state.selected_options ?? []).some((o) => o.value === 'true') ? 'true' : 'false';
        break;
      case 'multi_static_select': {
        const picked = (state.selected_options ?? []).map((o) => o.value);
        if (picked.length > 0) out[blockId] = picked;
        break;
      }
      case 'static_select':
      case 'radio_buttons':
        if (state.selected_option) out[blockId] = state.selected_option.value;
        break;
      case 'datepicker':
        if (state.selected_date) out[blockId] = state.selected_date;
        break;
      default:
        if (typeof state.value === 'string' && state.value !== '') out[blockId] = state.value;
    }
  }
  return out;
}
