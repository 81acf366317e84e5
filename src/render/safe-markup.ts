/**
 * Marks a string as markup that is already safe (built by code or a helper from escaped parts),
 * so the template escaper passes it through instead of escaping it a second time.
 */
import type { Markup } from '../chat/message.js';
import { escapeMarkup } from './markup.js';

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

/** Markup for any template value: SafeMarkup passes through, everything else is escaped. */
export function toMarkup(value: unknown): Markup {
  if (value instanceof SafeMarkup) return value.markup;
  if (value === null || value === undefined) return '';
  return escapeMarkup(String(value));
}
