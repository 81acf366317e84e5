/** What every serializer needs besides the message: how to resolve mentions and which zone to show. */
import { formatDate } from './dates.js';
import type { DateStyle } from './markup-syntax.js';

/**
 * Resolves a mention reference (`person:alice`, `slack:U123`, `mattermost:alice`) to the handles
 * the person has on each platform and a display name. Undefined when the reference is unknown;
 * serializers then fall back to a platform-native mention where the reference is already one of
 * theirs, or to plain text.
 */
export type MentionResolver = (ref: string) => { slack?: string; mattermost?: string; name: string } | undefined;

export interface SerializeOptions {
  mentions: MentionResolver;
  /** zone for dates where the platform cannot localize */
  zone: string;
  /** Clock for relative dates ("in 3 days"); defaults to the system clock. */
  now?: () => Date;
  /** Told of every instant written out as text, and how (tests check each against its zone). */
  onDate?: (shown: { date: Date; style: DateStyle; zone: string; text: string }) => void;
}

/** The one place a date token becomes text: in the options' zone, named, and reported. */
export function dateText(date: Date, style: DateStyle, opts: SerializeOptions): string {
  const text = formatDate(date, style, opts.zone, opts.now?.() ?? new Date());
  opts.onDate?.({ date, style, zone: opts.zone, text });
  return text;
}
