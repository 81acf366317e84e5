/**
 * The neutral outbound message. Domain code and templates produce this; each adapter turns it
 * into its platform's format (Block Kit, Mattermost markdown + attachments, console text).
 *
 * Every `Markup` string is Day2's neutral markup (see src/render/markup.ts): a small markdown
 * subset whose user-supplied parts were escaped when the template was rendered. Adapters must
 * never send a Markup string as-is; they parse it and re-emit it with their platform's escaping.
 */
export type Markup = string;

export interface MessageField {
  label: string;
  value: Markup;
  /** Hint that the field is short enough to sit beside another one. */
  short?: boolean;
}

export type ButtonStyle = 'default' | 'primary' | 'danger';

export interface Button {
  /**
   * Routing key for the click, e.g. `oncallCover`. Letters and digits only: Mattermost routes
   * clicks on `/actions/{id:[A-Za-z0-9]+}`, so anything else would be a silent 404.
   */
  actionId: string;
  label: string;
  /** Opaque payload handed back with the click (≤ 2000 chars, Slack's button value limit). */
  value: string;
  style?: ButtonStyle;
  /** Optional confirmation prompt shown before the click is sent (where the platform can). */
  confirm?: string;
}

export interface OutboundMessage {
  /** Short heading (plain text, ≤ 150 chars after rendering). */
  title?: string;
  /** Main text as neutral markup. */
  body: Markup;
  fields?: MessageField[];
  /** Small print under the message (classification, ids, "sent by"). */
  context?: Markup;
  buttons?: Button[];
  /**
   * Plain-text summary used for notifications and as the fallback `text`. Rendered from the same
   * template; adapters still escape it.
   */
  summary: string;
  /**
   * Stable identity of this message for idempotent delivery lookups (e.g. `notice-42`). Adapters
   * attach it as platform metadata (Slack `metadata`, Mattermost `props.day2_key`) so a copy that
   * was posted before a crash can be found again.
   */
  key?: string;
  /**
   * The reader's IANA zone, for the dates a platform cannot show in each reader's own zone
   * (Mattermost, console, Slack's fallback text). Set for answers to one person; a channel
   * post leaves it out and gets its audience's zone or the default.
   */
  zone?: string;
}

/** A field in a form (Slack modal input / Mattermost dialog element). */
export interface FormField {
  /** Key the value comes back under; letters, digits and `_` only. */
  name: string;
  label: string;
  type: 'text' | 'textarea' | 'url' | 'integer' | 'select' | 'multiselect' | 'boolean' | 'date';
  required: boolean;
  help?: string;
  placeholder?: string;
  options?: { value: string; label: string }[];
  initial?: string | string[];
  /** For `text` / `textarea`; adapters clamp to their platform's limits. */
  maxLength?: number;
  min?: number;
  max?: number;
}

export interface FormSpec {
  /** Routes the submission back to its handler (≤ 255 chars). */
  formId: string;
  title: string;
  submitLabel: string;
  introduction?: Markup;
  fields: FormField[];
  /** Opaque state returned with the submission (adapters add their own integrity check). */
  state: string;
}
