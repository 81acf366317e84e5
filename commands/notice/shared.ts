/**
 * What every `/notice …` declaration shares: the service lookup, the PRE-of-this-environment
 * check, the author of a change, component lists, finding a notice the caller may change and
 * what an answer says about it. Split out of index.ts so each concern's file can use them.
 */
import type { Environment } from '../../src/config.js';
import { envNameOf, type Notice, type NoticeAuthor } from '../../src/domain/notice/notice.js';
import { arg } from '../../src/dispatch/args.js';
import type { CommandContext } from '../../src/dispatch/types.js';
import { ForbiddenError, InputError } from '../../src/errors.js';
import { listWords, possessive } from '../../src/domain/wording.js';
import type { NoticeService } from '../../src/services/notice/service.js';

export const PRE_OR_ADMIN = ['pre', 'admin'] as const;

export function service(ctx: CommandContext): NoticeService {
  const s = ctx.services.notices;
  if (!s) throw new Error('the notices service is not wired into this bot');
  return s;
}

/** The environment, if the caller is one of its PREs or an admin; otherwise a clear refusal. */
export function preOf(ctx: CommandContext, envId: string): Environment {
  const env = service(ctx).environment(envId);
  if (ctx.caller.roles.has('admin')) return env;
  if (ctx.caller.person && env.pres.includes(ctx.caller.person.id)) return env;
  throw new ForbiddenError(`Only ${possessive(env.name)} PREs (${listWords(env.pres.map((p) => ctx.services.directory().person(p)?.name ?? p), 'none configured')}) or an admin may do this for ${env.name}; you are not one of them.`);
}

export function authorOf(ctx: CommandContext): NoticeAuthor {
  const { user, person } = ctx.caller;
  const author: NoticeAuthor = { platform: user.platform, userId: user.id, name: person?.name ?? user.name ?? user.id };
  if (person) author.personId = person.id;
  return author;
}

/** The items of a comma-separated argument, trimmed, empty ones dropped. */
export const commaList = (raw: string | undefined): string[] => (raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : []);

export function components(raw: string | undefined): string[] {
  const out = commaList(raw);
  for (const c of out) if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(c)) throw new InputError(`"${c}" is not a component name (letters, digits, ".", "_" and "-")`);
  return out;
}

export const componentsArg = arg.text({ max: 500, hint: 'components, comma-separated: api,db' }).optional();

/** What the answers to a change get about the notice (templates/notices/README.md). */
export function answerData(n: Notice): Record<string, unknown> {
  return { id: n.id, kind: n.kind, env: n.env, envName: envNameOf(n), status: n.status, classification: n.classification, total: n.audience.length, start: n.start, end: n.end };
}

export async function openNotice(ctx: CommandContext, id: string) {
  const n = await service(ctx).store.get(id);
  if (!n) throw new InputError(`there is no notice ${JSON.stringify(id)}; /notice list shows the open ones`);
  preOf(ctx, n.env);
  return n;
}

export async function openNoticeAnyStatus(ctx: CommandContext, id: string) {
  const n = await service(ctx).store.get(id);
  if (!n) throw new InputError(`there is no notice ${JSON.stringify(id)}`);
  preOf(ctx, n.env);
  return n;
}

/** A channel as its members know it ("#ops", "Town Square"), for answers that list channels. */
export async function channelLabel(ctx: CommandContext, platform: string, channelId: string): Promise<string> {
  return ctx.services.channelName ? ctx.services.channelName(platform, channelId) : channelId;
}
