/**
 * What a typed console line is: one of the console's own commands (`/day2 as <person>`,
 * `/day2 in <channel>`, a button number, `/day2 click <action> <value>`), a slash command, or a
 * plain line, which is a direct message to the bot.
 */
export type ConsoleLine =
  | { kind: 'as'; person?: string }
  | { kind: 'in'; channel?: string }
  | { kind: 'number'; n: number }
  | { kind: 'click'; actionId: string; value: string }
  | { kind: 'command'; command: string; text: string }
  | { kind: 'dm'; text: string };

export function readLine(line: string): ConsoleLine {
  if (/^\d{1,9}$/.test(line)) return { kind: 'number', n: Number(line) };
  const as = /^\/day2\s+as(?:\s+(.+?))?\s*$/i.exec(line);
  if (as) return { kind: 'as', person: as[1]?.replace(/^@/, '').toLowerCase() };
  const inChannel = /^\/day2\s+in(?:\s+(.+?))?\s*$/i.exec(line);
  if (inChannel) return { kind: 'in', channel: inChannel[1]?.replace(/^#/, '') };
  // `/day2 click <actionId> <value>` presses a button by name, for scripts written before numbers.
  const click = /^\/(?:day2\s+)?click\s+(\S+)\s*(.*)$/.exec(line);
  if (click) return { kind: 'click', actionId: click[1]!, value: unquote(click[2] ?? '') };
  if (line.startsWith('/')) {
    const space = line.search(/\s/);
    return { kind: 'command', command: space < 0 ? line : line.slice(0, space), text: space < 0 ? '' : line.slice(space + 1).trim() };
  }
  return { kind: 'dm', text: line };
}

/** A value printed as a JSON string (it had spaces or quotes) is typed back the same way. */
function unquote(v: string): string {
  if (!v.startsWith('"')) return v;
  try {
    const parsed: unknown = JSON.parse(v);
    return typeof parsed === 'string' ? parsed : v;
  } catch {
    return v;
  }
}

export const CONSOLE_CHANNEL = /^[a-z0-9][a-z0-9_-]{0,79}$/;
