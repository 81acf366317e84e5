import { describe, expect, it } from 'vitest';
import type { ButtonEvent, CommandEvent, FormEvent, InboundEvent, UserRef } from '../../../src/chat/port.js';
import { createDispatcher } from '../../../src/dispatch/dispatcher.js';
import { FamilyLoadError } from '../../../src/dispatch/registry.js';
import type { FamilyDecl } from '../../../src/dispatch/types.js';
import { createMetrics } from '../../../src/metrics.js';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { allFamilies } from '../../../commands/index.js';
import { decode, demoFamily, memoryDedupe, testServices } from './fixtures.js';

let seq = 0;
const alice = { platform: 'slack' as const, id: 'U0ALICE' }; // admin, zone Europe/Berlin
const bob = { platform: 'slack' as const, id: 'U0BOB' }; // no direct roles
const stranger = { platform: 'mattermost' as const, id: 'mm123', name: 'stranger' };

function cmd(text: string, user: UserRef = alice, command = '/day2', eventId = `ev${++seq}`): CommandEvent {
  return { kind: 'command', eventId, platform: user.platform, user, channel: { platform: user.platform, id: 'C0CHAN' }, command, text };
}

/** An in-memory JSON log sink, so tests can assert on what was logged. */
function memoryLog() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

function setup(opts: { families?: FamilyDecl[]; groups?: string[]; groupsFail?: boolean } = {}) {
  const calls: unknown[] = [];
  const services = testServices();
  const metrics = createMetrics({ defaultMetrics: false });
  const dedupe = memoryDedupe();
  const { log, lines } = memoryLog();
  const dispatch = createDispatcher({
    families: opts.families ?? [...allFamilies, demoFamily(calls)],
    services,
    metrics,
    log,
    dedupe,
    clock: () => new Date('2026-03-28T12:00:00Z'),
    groupsOf: async () => {
      if (opts.groupsFail) throw new Error('platform down');
      return opts.groups ?? [];
    },
  });
  const outcomes = async () => (await metrics.commands.get()).values.map((v) => `${v.labels.family}/${v.labels.outcome}=${v.value}`).sort();
  return { dispatch, calls, services, dedupe, lines, outcomes };
}

describe('dispatcher: commands', () => {
  it('runs a valid command and answers ephemerally', async () => {
    const { dispatch, calls, outcomes } = setup();
    const result = await dispatch(cmd('demo show prod 2'));
    expect(decode(result.reply)).toEqual({ name: 'system/ok', data: { text: 'showing prod' } });
    expect(calls).toEqual([['show', { env: 'prod', count: 2 }]]);
    expect(await outcomes()).toEqual(['demo/ok=1']);
  });

  it('aliases reach the same command', async () => {
    const { dispatch, calls } = setup();
    await dispatch(cmd('show staging', alice, '/demo'));
    expect(calls).toEqual([['show', { env: 'staging' }]]);
  });

  it('bad input: explains the problem with the usage line, and nothing runs or is written', async () => {
    const { dispatch, calls, services, dedupe, outcomes } = setup();
    const result = await dispatch(cmd('demo show prdo'));
    expect(decode(result.reply)).toEqual({
      name: 'errors/invalid-input',
      data: { message: 'env: "prdo" is not one of prod, staging (did you mean prod?)', usage: '/day2 demo show <env> [count]', hint: 'env should be one of prod, staging' },
    });
    expect(calls).toEqual([]);
    expect(services.audit.entries).toEqual([]);
    expect(dedupe.markers.size).toBe(0);
    expect(await outcomes()).toEqual(['demo/invalid=1']);
  });

  it('an unterminated quote is bad input', async () => {
    const { dispatch, calls } = setup();
    const { name, data } = decode((await dispatch(cmd('demo show "prod'))).reply);
    expect(name).toBe('errors/invalid-input');
    expect(data.message).toBe('unterminated quote: the " at position 11 is never closed');
    expect(calls).toEqual([]);
  });

  it('unknown family or subcommand: did-you-mean', async () => {
    const { dispatch, outcomes } = setup();
    expect(decode((await dispatch(cmd('dmeo show prod'))).reply)).toEqual({ name: 'errors/unknown-command', data: { input: '/day2 dmeo show prod', suggestion: '/day2 demo', usage: '/day2 help' } });
    expect(decode((await dispatch(cmd('shwo prod', alice, '/demo'))).reply)).toEqual({ name: 'errors/unknown-command', data: { input: '/demo shwo prod', suggestion: '/demo show', usage: '/day2 help demo' } });
    expect(await outcomes()).toEqual(['unknown/invalid=2']);
  });

  it('forbidden: names the role needed, nothing runs', async () => {
    const { dispatch, calls, services, dedupe, outcomes } = setup();
    const result = await dispatch(cmd('demo schedule now hello', bob));
    expect(decode(result.reply)).toEqual({ name: 'errors/forbidden', data: { role: 'PRE or admin', keys: 'pre or admin' } });
    expect(calls).toEqual([]);
    expect(services.audit.entries).toEqual([]);
    expect(dedupe.markers.size).toBe(0);
    expect(await outcomes()).toEqual(['demo/forbidden=1']);
  });

  it('roles granted to a group count when the adapter reports the group', async () => {
    const { dispatch, calls } = setup({ groups: ['slack-group:S0PRES'] });
    await dispatch(cmd('demo schedule now hello', bob));
    expect(calls).toHaveLength(1);
  });

  it('a failing group lookup fails closed (direct grants only)', async () => {
    const { dispatch, calls, lines } = setup({ groupsFail: true });
    const result = await dispatch(cmd('demo schedule now hello', bob));
    expect(decode(result.reply).name).toBe('errors/forbidden');
    expect(calls).toEqual([]);
    expect(lines.some((l) => l.msg === 'group lookup failed; using direct role grants only')).toBe(true);
  });

  it('a successful mutating command is audited with who, what, when and the parsed args', async () => {
    const { dispatch, services } = setup();
    const ev = cmd('demo schedule tomorrow 09:00 ship it env=staging');
    await dispatch(ev);
    expect(services.audit.entries).toEqual([
      {
        at: '2026-03-28T12:00:00.000Z',
        eventId: ev.eventId,
        platform: 'slack',
        userId: 'U0ALICE',
        userName: undefined,
        person: 'alice',
        channelId: 'C0CHAN',
        kind: 'command',
        family: 'demo',
        action: 'schedule',
        args: { at: { kind: 'day', offset: 1, time: { hour: 9, minute: 0 } }, text: 'ship it env=staging', loud: false },
      },
    ]);
  });

  it('read-only commands are not audited', async () => {
    const { dispatch, services } = setup();
    await dispatch(cmd('demo show prod'));
    await dispatch(cmd('whoami'));
    expect(services.audit.entries).toEqual([]);
  });

  it('an unexpected handler error is logged with a reference; the reply carries only the reference', async () => {
    const { dispatch, services, dedupe, lines, outcomes } = setup();
    const result = await dispatch(cmd('demo boom'));
    const { name, data } = decode(result.reply);
    expect(name).toBe('errors/internal');
    expect(data.reference).toMatch(/^[0-9a-f]{8}$/);
    expect(JSON.stringify(result)).not.toContain('secret internal detail');
    const logged = lines.find((l) => l.reference === data.reference);
    expect(logged?.msg).toBe('handler failed');
    expect(JSON.stringify(logged)).toContain('secret internal detail');
    expect(logged?.eventId).toBeDefined();
    expect(services.audit.entries).toEqual([]);
    expect(dedupe.markers.size).toBe(0);
    expect(await outcomes()).toEqual(['demo/error=1']);
  });

  it('a redelivered event runs once and gets the first answer again', async () => {
    const { dispatch, calls, outcomes } = setup();
    const ev = cmd('demo schedule now hello');
    const first = await dispatch(ev);
    const second = await dispatch({ ...ev, retryNum: 1 });
    expect(calls).toHaveLength(1);
    expect(second).toEqual(first);
    expect(await outcomes()).toEqual(['demo/duplicate=1', 'demo/ok=1']);
  });

  it('a redelivery of a state change while the first attempt runs says nothing and does not run', async () => {
    const { dispatch, dedupe, calls } = setup();
    const ev = cmd('demo schedule now note');
    await dedupe.begin(`slack:${ev.eventId}`); // another process holds it
    expect(await dispatch(ev)).toEqual({});
    expect(calls).toEqual([]);
  });

  it('after a failed first attempt the retry runs', async () => {
    const { dispatch, calls } = setup();
    const ev = cmd('demo boom');
    await dispatch(ev);
    await dispatch(ev);
    expect(calls).toEqual([['boom'], ['boom']]);
  });

  it('the same event id on two platforms is two events', async () => {
    const { dispatch, calls } = setup();
    await dispatch(cmd('demo show prod', alice, '/day2', 'same'));
    await dispatch(cmd('demo show prod', stranger, '/day2', 'same'));
    expect(calls).toHaveLength(2);
  });

  it('a DM is read as a command line', async () => {
    const { dispatch, calls } = setup();
    const dm: InboundEvent = { kind: 'dm', eventId: 'dm1', platform: 'slack', user: alice, channel: { platform: 'slack', id: 'D1' }, text: 'demo show prod' };
    await dispatch(dm);
    await dispatch({ ...dm, eventId: 'dm2', text: '/demo show staging' });
    expect(calls).toEqual([['show', { env: 'prod' }], ['show', { env: 'staging' }]]);
  });

  it('a dedupe failure refuses to run rather than risk running twice', async () => {
    const calls: unknown[] = [];
    const services = testServices();
    const dispatch = createDispatcher({
      families: [demoFamily(calls)],
      services,
      metrics: createMetrics({ defaultMetrics: false }),
      log: pino({ level: 'silent' }),
      dedupe: { begin: async () => { throw new Error('redis down'); }, finish: async () => {}, release: async () => {} },
    });
    expect(decode((await dispatch(cmd('demo schedule now note'))).reply).name).toBe('errors/internal');
    expect(calls).toEqual([]);
  });

  it('a read-only command answers inside its own request and takes no run-once claim', async () => {
    const calls: unknown[] = [];
    let claims = 0;
    const dispatch = createDispatcher({
      families: [demoFamily(calls)],
      services: testServices(),
      metrics: createMetrics({ defaultMetrics: false }),
      log: pino({ level: 'silent' }),
      dedupe: { begin: async () => { claims += 1; return { state: 'new', token: 't' }; }, finish: async () => {}, release: async () => {} },
    });
    await dispatch(cmd('demo show prod'));
    expect(calls).toHaveLength(1);
    expect(claims).toBe(0);
    await dispatch(cmd('demo schedule now note'));
    expect(claims).toBe(1);
  });

  it('refuses to build with a malformed family', () => {
    const broken = { ...demoFamily(), commands: [{ ...demoFamily().commands[0]!, role: undefined as never }] };
    expect(() => createDispatcher({ families: [broken], services: testServices(), metrics: createMetrics({ defaultMetrics: false }), log: pino({ level: 'silent' }), dedupe: memoryDedupe() })).toThrow(FamilyLoadError);
  });
});

describe('dispatcher: help and system', () => {
  it('/day2 alone is the overview, filtered to what the caller may run', async () => {
    const { dispatch } = setup();
    const asBob = decode((await dispatch(cmd('', bob))).reply);
    expect(asBob.name).toBe('help/overview');
    const usages = (asBob.data.families as { commands: { usage: string }[] }[]).flatMap((f) => f.commands.map((c) => c.usage));
    expect(usages).toContain('/day2 whoami');
    expect(usages).toContain('/day2 demo show <env> [count]');
    expect(usages).not.toContain('/day2 reload');
    expect(usages).not.toContain('/day2 demo schedule <at> <text…> [env=<env>] [--loud]');
    expect(asBob.data.callerRoles).toEqual([]);
    const asAlice = decode((await dispatch(cmd('help', alice))).reply);
    const aliceUsages = (asAlice.data.families as { commands: { usage: string }[] }[]).flatMap((f) => f.commands.map((c) => c.usage));
    expect(aliceUsages).toContain('/day2 reload');
    expect(asAlice.data.callerRoles).toEqual(['admin']);
  });

  it('a family alone, or help <family>, lists every subcommand with its role', async () => {
    const { dispatch } = setup();
    for (const [command, text] of [['/demo', ''], ['/day2', 'demo'], ['/day2', 'help demo']] as const) {
      const { name, data } = decode((await dispatch(cmd(text, bob, command))).reply);
      expect(name).toBe('help/family');
      const family = data.family as { name: string; aliases: string[]; commands: { name: string; role: string; examples: string[] }[] };
      expect(family.name).toBe('demo');
      expect(family.aliases).toEqual(['/demo']);
      expect(family.commands.map((c) => `${c.name}:${c.role}`)).toEqual(['show:anyone', 'schedule:PRE or admin', 'boom:anyone']);
      expect(family.commands[0]!.examples).toEqual(['/day2 demo show prod', '/demo show staging 3']);
    }
  });

  it('help for an unknown family suggests one', async () => {
    const { dispatch } = setup();
    // The command exists (so not "no command"); the family does not, and its usage line has [family].
    expect(decode((await dispatch(cmd('help dmeo'))).reply)).toMatchObject({ name: 'errors/invalid-input', data: { message: expect.stringMatching(/^There is no command family "dmeo" \(did you mean demo\?\): the families are help, .*demo/), usage: '/day2 help [family]' } });
    expect(decode((await dispatch(cmd('help /demo'))).reply).name).toBe('help/family');
    expect(decode((await dispatch(cmd('help boom'))).reply).data.message).toBe('"boom" is a command, not a family: see /day2 help demo.');
    expect(decode((await dispatch(cmd('help show'))).reply).data.message).toMatch(/^"show" is a command of several families \(.*demo\), not a family: see \/day2 help <family>\.$/);
  });

  it('whoami shows person, roles and zone', async () => {
    const { dispatch } = setup();
    expect(decode((await dispatch(cmd('whoami'))).reply)).toEqual({
      name: 'system/whoami',
      data: { platform: 'slack', userId: 'U0ALICE', person: { id: 'alice', name: 'Alice' }, roles: ['admin'], zone: 'Europe/Berlin' },
    });
    expect(decode((await dispatch(cmd('system whoami', stranger))).reply).data).toEqual({ platform: 'mattermost', userId: 'mm123', roles: [], zone: 'UTC' });
  });

  it('reload is for admins, renders the counts and is audited', async () => {
    const { dispatch, services, calls } = setup();
    services.reload = async () => ({ ok: true, people: 2, teams: 0, environments: 1 });
    expect(decode((await dispatch(cmd('reload', bob))).reply).name).toBe('errors/forbidden');
    expect(decode((await dispatch(cmd('reload', alice))).reply)).toEqual({ name: 'system/reloaded', data: { people: 2, teams: 0, environments: 1, warnings: [] } });
    expect(services.audit.entries.map((e) => `${e.family} ${e.action} ${e.person}`)).toEqual(['system reload alice']);
    expect(calls).toEqual([]);
  });

  it('a refused reload lists every problem and is not audited', async () => {
    const { dispatch, services } = setup();
    services.reload = async () => ({ ok: false, problems: [{ path: 'people[0].id', message: 'bad id' }, { path: 'teams', message: 'unknown person' }] });
    const { name, data } = decode((await dispatch(cmd('reload'))).reply);
    expect(name).toBe('errors/invalid-input');
    expect(data.message).toBe('The new configuration has 2 problems; the current one stays in force.');
    expect(data.hint).toBe('  ✖ people[0].id: bad id\n  ✖ teams: unknown person');
    expect(services.audit.entries).toEqual([]);
  });
});

describe('dispatcher: buttons and forms', () => {
  const click = (user: UserRef = alice, actionId = 'demoAck'): ButtonEvent => ({ kind: 'button', eventId: `b${++seq}`, platform: user.platform, user, channel: { platform: user.platform, id: 'C0CHAN' }, actionId, value: 'inc-42' });
  const submit = (values: Record<string, string | string[]>, formId = 'demoForm'): FormEvent => ({ kind: 'form', eventId: `f${++seq}`, platform: 'slack', user: bob, channel: { platform: 'slack', id: 'C0CHAN' }, formId, state: 'st', values });

  it('routes a click by action id, authorizes, runs and audits', async () => {
    const { dispatch, calls, services } = setup();
    const result = await dispatch(click());
    expect(decode(result.updateMessage)).toEqual({ name: 'system/ok', data: { text: 'acked inc-42' } });
    expect(calls).toEqual([['ack', 'inc-42']]);
    expect(services.audit.entries.map((e) => [e.kind, e.family, e.action, e.args])).toEqual([['button', 'demo', 'demoAck', { value: 'inc-42' }]]);
  });

  it('refuses a click without the role', async () => {
    const { dispatch, calls } = setup();
    expect(decode((await dispatch(click(bob))).reply).name).toBe('errors/forbidden');
    expect(calls).toEqual([]);
  });

  it('an unknown button is answered, not run', async () => {
    const { dispatch } = setup();
    expect(decode((await dispatch(click(alice, 'gone'))).reply).name).toBe('errors/invalid-input');
  });

  it('form values are validated per field before anything runs', async () => {
    const { dispatch, calls, services } = setup();
    expect(await dispatch(submit({ title: 'this title is far too long', count: '0' }))).toEqual({
      formErrors: { title: 'is too long (26 characters, at most 20)', count: '0 is too small (at least 1)' },
    });
    expect(calls).toEqual([]);
    expect(services.audit.entries).toEqual([]);
  });

  it('a valid form runs with parsed values and its state, and is audited', async () => {
    const { dispatch, calls, services } = setup();
    expect(decode((await dispatch(submit({ title: 'ok', count: '3' }))).reply).data).toEqual({ text: 'saved' });
    expect(calls).toEqual([['form', { title: 'ok', count: 3 }, 'st']]);
    expect(services.audit.entries.map((e) => [e.kind, e.action, e.args])).toEqual([['form', 'demoForm', { title: 'ok', count: 3 }]]);
  });

  it('a closed form is not validated as a submission: without onClose nothing runs or is counted', async () => {
    const { dispatch, calls, services, outcomes } = setup();
    expect(await dispatch({ ...submit({ title: 'this title is far too long' }), closed: true })).toEqual({});
    expect(await dispatch({ ...submit({}, 'goneForm'), closed: true })).toEqual({});
    expect(calls).toEqual([]);
    expect(services.audit.entries).toEqual([]);
    expect(await outcomes()).toEqual([]);
  });

  it("a closed form goes to the form's onClose with the raw values, runs once and is audited", async () => {
    const { dispatch, calls, services } = setup();
    const closed = { ...submit({ title: 'this title is far too long' }, 'demoDraft'), closed: true };
    expect(decode((await dispatch(closed)).reply).data).toEqual({ text: 'kept' });
    // A redelivery of the same close does not run it again.
    await dispatch(closed);
    expect(calls).toEqual([['draft-closed', { title: 'this title is far too long' }, 'st']]);
    expect(services.audit.entries.map((e) => [e.kind, e.action, e.args])).toEqual([['form', 'demoDraft', { closed: true, values: { title: 'this title is far too long' } }]]);
    // The same form submitted still goes through its schema and handler.
    expect((await dispatch(submit({ title: 'this title is far too long' }, 'demoDraft'))).formErrors).toHaveProperty('title');
    expect(decode((await dispatch(submit({ title: 'fine' }, 'demoDraft'))).reply).data).toEqual({ text: 'submitted' });
  });

  it('form errors from the handler keep the form open and are not audited', async () => {
    const { dispatch, services, dedupe } = setup();
    expect(await dispatch(submit({ title: 'taken', count: '3' }))).toEqual({ formErrors: { title: 'that title is taken' } });
    expect(services.audit.entries).toEqual([]);
    expect(dedupe.markers.size).toBe(0);
  });
});

describe('dispatcher: last-resort answers', () => {
  it('answers in plain words when even the internal-error template fails', async () => {
    const services = testServices();
    services.renderer.render = (name) => {
      throw new Error(`template ${name} is broken`);
    };
    const { log, lines } = memoryLog();
    const dispatch = createDispatcher({ families: [demoFamily()], services, metrics: createMetrics({ defaultMetrics: false }), log, dedupe: memoryDedupe() });
    const { reply } = await dispatch(cmd('demo show prod'));
    expect(reply?.body).toMatch(/^Something went wrong\. Reference: [0-9a-f]{8}$/);
    expect(lines.some((l) => l.msg === 'errors/internal template failed')).toBe(true);
  });
});
