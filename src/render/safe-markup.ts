/**
 * Marks a string as markup that is already safe (built by code or a helper from escaped parts),
 * so the template escaper passes it through instead of escaping it a second time.
 */
import type { Markup } from '../chat/message.js';
import { dateToken, escapeMarkup } from './markup.js';

export class SafeMarkup {
  constructor(readonly markup: Markup) {}
  toString(): string {
    return this.markup;
  }
  /** Handlebars' own SafeString protocol, so `{{{x}}}` and block helpers treat it as raw too. */
  toHTML(): string {
    return this.markup;
  }
}

export function safe(markup: Markup): SafeMarkup {
  return new SafeMarkup(markup);
}

/**
 * Markup for any template value: SafeMarkup passes through, a Date becomes a date token (its
 * String() would be in the server's zone), everything else is escaped text.
 */
export function toMarkup(value: unknown): Markup {
  if (value instanceof SafeMarkup) return value.markup;
  if (value === null || value === undefined) return '';
  if (value instanceof Date && !Number.isNaN(value.getTime())) return dateToken(value, 'datetime');
  return escapeMarkup(String(value));
}
