/**
 * Reading a served iCalendar feed the way a calendar client does: ical.js parses it (it throws
 * on a malformed feed) and each event comes back with the fields a client syncs on.
 */
import ICAL from 'ical.js';

export interface ParsedEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  sequence: number;
  dtstamp: Date;
  lastModified: Date | undefined;
}

const timeOf = (c: ICAL.Component, name: string): Date | undefined => {
  const v = c.getFirstPropertyValue(name);
  return v instanceof ICAL.Time ? v.toJSDate() : undefined;
};

/** The events of `body`, in feed order; throws when ical.js cannot parse it or a line does not end in CRLF. */
export function parseFeed(body: string): ParsedEvent[] {
  if (!body.endsWith('END:VCALENDAR\r\n')) throw new Error('the feed does not end with END:VCALENDAR and CRLF');
  if (/[^\r]\n/.test(body)) throw new Error('a line of the feed ends in a bare LF');
  const cal = new ICAL.Component(ICAL.parse(body));
  return cal.getAllSubcomponents('vevent').map((c) => {
    const e = new ICAL.Event(c);
    const dtstamp = timeOf(c, 'dtstamp');
    if (!dtstamp) throw new Error(`event ${e.uid} has no DTSTAMP`);
    return { uid: e.uid, start: e.startDate.toJSDate(), end: e.endDate.toJSDate(), summary: e.summary, sequence: e.sequence, dtstamp, lastModified: timeOf(c, 'last-modified') };
  });
}
