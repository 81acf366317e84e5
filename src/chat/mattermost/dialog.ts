/**
 * FormSpec <-> Mattermost interactive dialog. Mattermost rejects a whole dialog when one limit is
 * exceeded (upstream `model/integration_action.go`), so every text is clamped here rather than
 * trusting callers.
 */
import type { FormField, FormSpec } from '../message.js';
import { clamp } from './clamp.js';
import { signDialogState } from './signing.js';

export const DIALOG_LIMITS = {
  title: 24,
  displayName: 24,
  helpText: 150,
  placeholder: 150,
  text: 150,
  textarea: 3000,
  submitLabel: 24,
} as const;

export type DialogElement = Record<string, unknown> & { name: string; type: string; display_name: string };

export interface Dialog {
  callback_id: string;
  title: string;
  introduction_text?: string;
  elements: DialogElement[];
  submit_label: string;
  notify_on_cancel: boolean;
  state: string;
}

function initialString(f: FormField): string | undefined {
  if (f.initial === undefined) return undefined;
  return Array.isArray(f.initial) ? f.initial.join(',') : f.initial;
}

function element(f: FormField): DialogElement {
  const base: DialogElement = {
    name: f.name,
    display_name: clamp(f.label, DIALOG_LIMITS.displayName),
    type: 'text',
    optional: !f.required,
  };
  if (f.help) base.help_text = clamp(f.help, DIALOG_LIMITS.helpText);
  if (f.placeholder) base.placeholder = clamp(f.placeholder, DIALOG_LIMITS.placeholder);
  const initial = initialString(f);
  if (initial !== undefined) base.default = initial;
  const options = (f.options ?? []).map((o) => ({ text: o.label, value: o.value }));
  switch (f.type) {
    case 'text':
      return { ...base, max_length: Math.min(f.maxLength ?? DIALOG_LIMITS.text, DIALOG_LIMITS.text) };
    case 'textarea':
      return { ...base, type: 'textarea', max_length: Math.min(f.maxLength ?? DIALOG_LIMITS.textarea, DIALOG_LIMITS.textarea) };
    case 'url':
      return { ...base, subtype: 'url', max_length: DIALOG_LIMITS.text };
    case 'integer': {
      // Dialogs have no numeric bounds; show them in the help text and let the handler validate.
      const bounds = f.min !== undefined && f.max !== undefined ? `${f.min}–${f.max}` : f.min !== undefined ? `≥ ${f.min}` : f.max !== undefined ? `≤ ${f.max}` : undefined;
      const help = [f.help, bounds].filter(Boolean).join(' ');
      return { ...base, subtype: 'number', ...(help ? { help_text: clamp(help, DIALOG_LIMITS.helpText) } : {}) };
    }
    case 'select':
      return { ...base, type: 'select', options };
    case 'multiselect':
      return { ...base, type: 'select', multiselect: true, options };
    case 'boolean':
      return { ...base, type: 'bool', ...(initial !== undefined ? { default: initial === 'true' ? 'true' : 'false' } : {}) };
    case 'date':
      // Native date picker (Mattermost 11); the value comes back as YYYY-MM-DD.
      return { ...base, type: 'date' };
  }
}

export interface ToDialogOptions {
  secret: string;
  nonce: string;
  /** Who the dialog is opened for, and where: a submission from anyone else is refused. */
  userId: string;
  channelId?: string;
  /** When a submission stops being accepted (epoch ms). */
  expiresAt: number;
  /** Renders the neutral-markup introduction as Mattermost markdown. */
  renderMarkup: (markup: string) => string;
}

export function toDialog(form: FormSpec, opts: ToDialogOptions): Dialog {
  const multi = form.fields.filter((f) => f.type === 'multiselect').map((f) => f.name);
  const dialog: Dialog = {
    callback_id: form.formId,
    title: clamp(form.title, DIALOG_LIMITS.title),
    elements: form.fields.map(element),
    submit_label: clamp(form.submitLabel, DIALOG_LIMITS.submitLabel),
    // Mattermost then tells us of a cancel (with no values), so the handler can say what was kept.
    notify_on_cancel: true,
    state: signDialogState(opts.secret, { formId: form.formId, state: form.state, multi, nonce: opts.nonce, userId: opts.userId, ...(opts.channelId ? { channelId: opts.channelId } : {}), expiresAt: opts.expiresAt }),
  };
  if (form.introduction) dialog.introduction_text = opts.renderMarkup(form.introduction);
  return dialog;
}

/**
 * Submission values as the port wants them: strings, arrays for multiselects, empty fields absent.
 * Mattermost sends booleans for `bool`, numbers for some clients' `number` subtype, and either an
 * array or a comma-joined string for multiselects depending on the client version.
 */
export function submissionValues(submission: unknown, multi: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (typeof submission !== 'object' || submission === null) return out;
  for (const [name, raw] of Object.entries(submission as Record<string, unknown>)) {
    if (raw === null || raw === undefined) continue;
    if (multi.includes(name)) {
      const list = (Array.isArray(raw) ? raw.map(String) : String(raw).split(',')).map((s) => s.trim()).filter((s) => s !== '');
      if (list.length > 0) out[name] = list;
      continue;
    }
    if (typeof raw === 'boolean') out[name] = raw ? 'true' : 'false';
    else if (typeof raw === 'number') out[name] = String(raw);
    else if (typeof raw === 'string') {
      if (raw !== '') out[name] = raw;
    } else if (Array.isArray(raw)) {
      const list = raw.map(String).filter((s) => s !== '');
      if (list.length > 0) out[name] = list;
    }
  }
  return out;
}
