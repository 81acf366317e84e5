import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FormSpec } from '../../../src/chat/message.js';
import type { CommandEvent, FormEvent } from '../../../src/chat/port.js';
import { assertCallsMatchSpec } from '../../fakes/mattermost-spec.js';
import { COMMAND_TOKEN, eventually, startHarness, type Harness } from './harness.js';

const form: FormSpec = {
  formId: 'noticeNew',
  title: 'New maintenance notice for an environment',
  submitLabel: 'Announce',
  introduction: 'Fill in the **window**; times are in your zone.',
  state: 'env=prod-east',
  fields: [
    { name: 'summary', label: 'Summary', type: 'text', required: true, maxLength: 500, placeholder: 'What happens' },
    { name: 'details', label: 'Details', type: 'textarea', required: false, help: 'Markdown allowed. '.repeat(20) },
    { name: 'link', label: 'Runbook link', type: 'url', required: false },
    { name: 'minutes', label: 'Duration in minutes, roughly', type: 'integer', required: true, min: 5, max: 480 },
    { name: 'severity', label: 'Severity', type: 'select', required: true, options: [{ value: 'low', label: 'Low' }, { value: 'high', label: 'High' }], initial: 'low' },
    { name: 'teams', label: 'Teams', type: 'multiselect', required: false, options: [{ value: 'core', label: 'Core' }, { value: 'data', label: 'Data' }] },
    { name: 'notify', label: 'Notify on-call', type: 'boolean', required: false, initial: 'true' },
    { name: 'day', label: 'Day', type: 'date', required: true },
  ],
};

describe('Mattermost dialogs', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    // A command that opens the form, the way a handler would.
    h.handler = async (event) => {
      if (event.kind === 'command') {
        await h.adapter.openForm(event.triggerId!, form, { channelId: event.channel.id, userId: event.user.id });
      }
      return {};
    };
  });
  afterEach(async () => {
    await h.close();
  });

  async function openDialog() {
    const res = await h.fake.sendCommand(h.appUrl, { command: '/notice', text: 'new', token: COMMAND_TOKEN, user_id: h.alice.id, channel_id: h.town.id });
    expect(res.status).toBe(200);
    expect(h.fake.dialogs).toHaveLength(1);
    return h.fake.dialogs[0]!;
  }

  it('opens a dialog within Mattermost limits, with the submission URL and a signed state', async () => {
    const opened = await openDialog();
    expect(opened.url).toBe(`${h.appUrl}/mattermost/actions`);
    expect(opened.trigger_id).toBe((h.events[0] as CommandEvent).triggerId);
    const d = opened.dialog;
    expect(d.callback_id).toBe('noticeNew');
    expect([...(d.title as string)].length).toBeLessThanOrEqual(24);
    expect(d.introduction_text).toContain('**window**');
    expect(d.state).not.toContain('env=prod-east'); // encoded and signed, not raw
    const byName = Object.fromEntries(d.elements.map((e) => [e.name as string, e]));
    expect(byName.summary).toMatchObject({ type: 'text', optional: false, max_length: 150 });
    expect(byName.details).toMatchObject({ type: 'textarea', optional: true });
    expect([...(byName.details!.help_text as string)].length).toBeLessThanOrEqual(150);
    expect(byName.link).toMatchObject({ type: 'text', subtype: 'url' });
    expect(byName.minutes).toMatchObject({ type: 'text', subtype: 'number' });
    expect(byName.minutes!.help_text).toContain('5–480');
    expect(byName.severity).toMatchObject({ type: 'select', default: 'low', options: [{ text: 'Low', value: 'low' }, { text: 'High', value: 'high' }] });
    expect(byName.teams).toMatchObject({ type: 'select', multiselect: true });
    expect(byName.notify).toMatchObject({ type: 'bool', default: 'true' });
    expect(byName.day).toMatchObject({ type: 'date' });
    assertCallsMatchSpec(h.fake.calls);
  });

  it('turns a submission into a FormEvent with typed values, and returns field errors', async () => {
    const opened = await openDialog();
    h.handler = async (event) => (event.kind === 'form' && event.values.minutes === '1' ? { formErrors: { minutes: 'At least 5 minutes.' } } : {});

    const submission = { summary: 'DB upgrade', details: '', minutes: 1, severity: 'high', teams: ['core', 'data'], notify: false, day: '2026-12-01', link: null };
    const bad = await h.fake.submitDialog(opened, { submission });
    expect(bad.status).toBe(200);
    expect(bad.body).toEqual({ errors: { minutes: 'At least 5 minutes.' } });

    const good = await h.fake.submitDialog(opened, { submission: { ...submission, minutes: 30, teams: 'core,data' } });
    expect(good.status).toBe(200);
    expect(good.body).toEqual({});

    const forms = h.events.filter((e): e is FormEvent => e.kind === 'form');
    expect(forms).toHaveLength(2);
    expect(forms[0]).toMatchObject({
      kind: 'form',
      formId: 'noticeNew',
      state: 'env=prod-east',
      user: { id: h.alice.id },
      channel: { id: h.town.id, teamId: h.team.id },
      values: { summary: 'DB upgrade', minutes: '1', severity: 'high', teams: ['core', 'data'], notify: 'false', day: '2026-12-01' },
    });
    expect(forms[0]!.values).not.toHaveProperty('details');
    expect(forms[0]!.values).not.toHaveProperty('link');
    // Both spellings of a multiselect come out as arrays.
    expect(forms[1]!.values.teams).toEqual(['core', 'data']);
    // A corrected resubmission is a new event; the same values again are the same event.
    expect(forms[1]!.eventId).not.toBe(forms[0]!.eventId);
    await h.fake.submitDialog(opened, { submission: { ...submission, minutes: 30, teams: 'core,data' } });
    const again = h.events.filter((e): e is FormEvent => e.kind === 'form')[2]!;
    expect(again.eventId).toBe(forms[1]!.eventId);
  });

  it('rejects a submission with a forged state or callback id, forged cancels too', async () => {
    const opened = await openDialog();
    const state = opened.dialog.state as string;
    const [v, payload, sig] = state.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), s: 'env=prod-west' })).toString('base64url');

    const forged = await h.fake.submitDialog(opened, { submission: { summary: 'x' }, state: `${v}.${forgedPayload}.${sig}` });
    const otherForm = await h.fake.submitDialog(opened, { submission: { summary: 'x' }, callback_id: 'releaseShip' });
    const forgedCancel = await h.fake.submitDialog(opened, { submission: {}, cancelled: true, state: `${v}.${forgedPayload}.${sig}` });
    expect(forged.status).toBe(403);
    expect(otherForm.status).toBe(403);
    expect(forgedCancel.status).toBe(403);
    expect(h.events.filter((e) => e.kind === 'form')).toHaveLength(0);
  });

  it('asks to hear of a cancel (notify_on_cancel) and turns it into a closed FormEvent without values; a reply goes out as an ephemeral post', async () => {
    const opened = await openDialog();
    expect(opened.dialog.notify_on_cancel).toBe(true);
    h.handler = async (event) => (event.kind === 'form' && event.closed ? { reply: { body: 'Draft kept', summary: 'Draft kept' } } : {});
    const cancelled = await h.fake.cancelDialog(opened);
    expect(cancelled?.status).toBe(200);
    expect(cancelled?.body).toEqual({});
    const forms = h.events.filter((e): e is FormEvent => e.kind === 'form');
    expect(forms).toHaveLength(1);
    // Mattermost sends no values with a cancel: only what earlier pages saved can be kept.
    expect(forms[0]).toMatchObject({ kind: 'form', closed: true, formId: 'noticeNew', state: 'env=prod-east', user: { id: h.alice.id }, channel: { id: h.town.id }, values: {} });
    await eventually(() => h.fake.ephemerals.find((e) => e.user_id === h.alice.id && e.message.includes('Draft kept')), 'the ephemeral reply');
    // The same cancel again is the same event; a submission of that dialog is a different one.
    await h.fake.cancelDialog(opened);
    await h.fake.submitDialog(opened, { submission: { summary: 'x' } });
    const all = h.events.filter((e): e is FormEvent => e.kind === 'form');
    expect(all[1]!.eventId).toBe(forms[0]!.eventId);
    expect(all[2]!.eventId).not.toBe(forms[0]!.eventId);
    expect(all[2]!.closed).toBeUndefined();
  });

  it('reports a dialog Mattermost rejects as a permanent error', async () => {
    const res = await h.fake.sendCommand(h.appUrl, { command: '/notice', text: 'new', token: COMMAND_TOKEN, user_id: h.alice.id, channel_id: h.town.id });
    expect(res.status).toBe(200);
    await expect(h.adapter.openForm('not-a-trigger', form, { userId: h.alice.id })).rejects.toMatchObject({ code: 'permanent', message: expect.stringContaining('interactive_message.decode_trigger_id') });
  });
});
