/**
 * `/oncall pages [team]`: open and recent alert pages; and the buttons on every page
 * (Acknowledge, Resolve, Escalate, Snooze, Declare outage). Who may press them is decided by the alert service
 * (src/services/alert/responses.ts): the team's members and managers, its layers' holders, admins.
 */
import { z } from 'zod';
import { arg } from '../../src/dispatch/args.js';
import { defineButton, defineCommand } from '../../src/dispatch/define.js';
import type { CommandContext, CommandDecl } from '../../src/dispatch/types.js';
import { InputError } from '../../src/errors.js';
import type { AlertFeature } from '../../src/services/alert/wiring.js';
import type { PageAction } from '../../src/services/alert/responses.js';
import { preview } from '../notice/drafts.js';
import { PRE_OR_ADMIN, authorOf, preOf } from '../notice/shared.js';

function alerts(ctx: CommandContext): AlertFeature {
  const s = ctx.services.alerts;
  if (!s) throw new Error('alert paging is not wired into this bot');
  return s;
}

const pagesCmd = defineCommand({
  name: 'pages',
  summary: 'Open and recent alert pages, optionally of one team',
  usage: 'pages [team]',
  examples: ['/oncall pages', '/oncall pages payments'],
  args: z.object({ team: arg.text({ max: 63, hint: 'a team id such as payments' }).optional() }),
  positional: ['team'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, args) {
    const cfg = ctx.services.config();
    const team = args.team ? cfg.teams.find((t) => t.id === args.team!.toLowerCase()) : undefined;
    if (args.team && !team) throw new InputError(`Unknown team "${args.team}". Teams: ${cfg.teams.map((t) => t.id).join(', ') || 'none yet'}.`);
    const list = await alerts(ctx).recentPages(20, team?.id);
    const teamName = (id: string) => cfg.teams.find((t) => t.id === id)?.name ?? id;
    const row = (p: (typeof list)[number]) => ({
      id: p.id,
      team: teamName(p.team),
      createdAt: new Date(p.createdAt),
      assignee: p.assignee ? `person:${p.assignee}` : null,
      acked: p.ackedBy ? `person:${p.ackedBy}` : null,
      resolved: p.resolvedAt ? new Date(p.resolvedAt) : null,
      escalations: p.steps.length - 1,
    });
    return ctx.reply('alerts/pages', { team: team?.name ?? null, open: list.filter((p) => !p.resolvedAt).map(row), recent: list.filter((p) => p.resolvedAt).map(row) });
  },
});

const ACTIONS: Record<PageAction, { actionId: string; done: string }> = {
  ack: { actionId: 'alertack', done: 'You have acknowledged page' },
  resolve: { actionId: 'alertresolve', done: 'You have resolved page' },
  escalate: { actionId: 'alertescalate', done: 'You have escalated page' },
  snooze: { actionId: 'alertsnooze', done: 'You have snoozed page' },
};

function pageButton(action: PageAction) {
  return defineButton({
    actionId: ACTIONS[action].actionId,
    // The service checks who may answer (team, managers, layer holders, admins).
    role: 'anyone',
    mutates: true,
    async handler(ctx, value) {
      const page = await alerts(ctx).respondToPage(value, action, { person: ctx.caller.person?.id, isAdmin: ctx.caller.roles.has('admin') }, ctx.now());
      return ctx.ok(`${ACTIONS[action].done} ${page.id}.`);
    },
  });
}

/**
 * "Declare outage": the `/notice outage` draft and preview, pre-filled from the page. Pressing it
 * takes what answering the page takes and what `/notice outage` takes (a PRE of the environment,
 * or an admin); Confirm on the preview sends the notice and links it on the page.
 */
const declareOutage = defineButton({
  actionId: 'alertdeclare',
  role: PRE_OR_ADMIN,
  mutates: false,
  async handler(ctx, pageId) {
    const d = await alerts(ctx).outageDraft(pageId, { person: ctx.caller.person?.id, isAdmin: ctx.caller.roles.has('admin') }, ctx.now());
    const env = preOf(ctx, d.env);
    return preview(ctx, { env: env.id, kind: 'outage', severity: d.severity, summary: d.summary, components: d.components, author: authorOf(ctx), alertPage: d.pageId, declaredFrom: d.declaredFrom });
  },
});

export const pageCommands: CommandDecl<any>[] = [pagesCmd];
export const pageButtons = [pageButton('ack'), pageButton('resolve'), pageButton('escalate'), pageButton('snooze'), declareOutage];
