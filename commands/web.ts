/**
 * `/day2 web [page] [name]`: signed links to Day2's web pages for the asking person — the status
 * page of an environment, a team's on-call timeline, an environment's platform calendar. A link
 * opens what the person may read with the matching chat command (/notice list, /oncall schedule,
 * /release calendar): the same declarations decide, and the status page follows the notices'
 * reading rule (src/services/notice/readers.ts) for the channel the link is asked in.
 */
import { z } from 'zod';
import { arg } from '../src/dispatch/args.js';
import { defineCommand } from '../src/dispatch/define.js';
import type { CommandContext } from '../src/dispatch/types.js';
import { ForbiddenError, InputError } from '../src/errors.js';
import { linkTtlMs } from '../src/domain/web/config.js';
import { noticeReader } from '../src/services/notice/readers.js';
import { WEB_PAGES, type WebPage } from '../src/services/web/links.js';

/** Which chat command each page mirrors; its declared role is the page's role. */
const MIRRORS: Record<WebPage, [family: string, command: string]> = { status: ['notice', 'list'], oncall: ['oncall', 'schedule'], calendar: ['release', 'calendar'] };


function mayUse(ctx: CommandContext, page: WebPage): boolean {
  const [family, command] = MIRRORS[page];
  const decl = ctx.catalog.families.find((f) => f.name === family)?.commands.find((c) => c.name === command);
  return decl !== undefined && ctx.may(decl.role);
}

/** Every page (of `only`, when given) this caller may open here. */
type Openable = { page: WebPage; id: string; name: string; public?: true };

async function openable(ctx: CommandContext, only?: WebPage): Promise<Openable[]> {
  const cfg = ctx.services.config();
  const out: Openable[] = [];
  const pages = only ? [only] : WEB_PAGES;
  if (pages.includes('status') && mayUse(ctx, 'status')) {
    const caller = { roles: ctx.caller.roles, channel: ctx.event.channel, ...(ctx.caller.person ? { personId: ctx.caller.person.id } : {}) };
    const reads = noticeReader(cfg, (await ctx.services.notices?.store.subscriptions()) ?? [], caller);
    // A public status page is everyone's (and needs no link).
    for (const e of cfg.environments) if (e.public || reads(e.id)) out.push({ page: 'status', id: e.id, name: e.name, ...(e.public ? { public: true } : {}) });
  }
  if (pages.includes('oncall') && mayUse(ctx, 'oncall')) for (const t of cfg.teams) if (cfg.rotations.some((r) => r.team === t.id)) out.push({ page: 'oncall', id: t.id, name: t.name });
  if (pages.includes('calendar') && mayUse(ctx, 'calendar')) for (const e of cfg.environments) out.push({ page: 'calendar', id: e.id, name: e.name });
  return out;
}

const web = defineCommand({
  name: 'web',
  summary: 'Links to the web pages (status, on-call timeline, calendar), signed for you',
  usage: 'web [page] [name]',
  examples: ['/day2 web', '/day2 web status prod-east', '/day2 web oncall payments', '/day2 web calendar staging'],
  args: z.object({ page: arg.text({ max: 20, hint: 'status, oncall or calendar' }).optional(), name: arg.text({ max: 63, hint: 'an environment or team id' }).optional() }),
  positional: ['page', 'name'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, a) {
    const links = ctx.services.webLinks;
    if (!links) return ctx.info('Web pages are not served by this Day2 process.');
    const person = ctx.caller.person;
    if (!person) throw new InputError('A web link is made for a person in Day2\'s configuration, and Day2 does not know you as one. Ask an admin to add you under people: (with your handle on this platform).');
    const page = a.page?.toLowerCase() as WebPage | undefined;
    if (page !== undefined && !WEB_PAGES.includes(page)) throw new InputError(`"${a.page}" is not a web page: use status, oncall or calendar.`);
    let pages = await openable(ctx, page);
    if (a.name) {
      const cfg = ctx.services.config();
      const named = page === 'oncall' ? cfg.teams.find((t) => t.id === a.name) : cfg.environments.find((e) => e.id === a.name);
      if (!named) {
        const known = (page === 'oncall' ? cfg.teams : cfg.environments).map((x) => x.id);
        throw new InputError(`There is no ${page === 'oncall' ? 'team' : 'environment'} "${a.name}"${known.length ? `: use one of ${known.join(', ')}` : ''}.`);
      }
      pages = pages.filter((p) => p.id === a.name);
      if (pages.length === 0) throw new ForbiddenError(page === 'status' ? `The status of ${named.name} is for its PREs and admins anywhere, and for others in a channel subscribed to ${a.name}.` : `You may not read the ${page} page of ${named.name}.`);
    }
    const now = ctx.now();
    const ttl = linkTtlMs(ctx.services.config().web);
    const base = ctx.services.publicUrl ?? '';
    const made = await Promise.all(pages.map(async (p) => ({ ...p, url: p.public ? `${base}/${p.page}/${p.id}` : `${base}${(await links.linkFor(p.page, p.id, person.id, now, ttl)).path}` })));
    const signed = made.filter((m) => !m.public).length;
    return ctx.reply('system/web', { links: made, expires: new Date(now.getTime() + ttl), count: made.length, signed });
  },
});

export const webCommands = [web];
