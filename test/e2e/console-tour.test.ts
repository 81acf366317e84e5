/**
 * examples/tour.txt, the scripted tour the README points newcomers to, runs start to finish in
 * the console against day2.example.yaml: every line answered, no errors, and the key moments of
 * each family printed where they happen and for whom.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleSession } from '../support/console-script.js';

let session: ConsoleSession;
let out = '';
let code = -1;

beforeAll(async () => {
  session = await startConsole();
  const tour = readFileSync(new URL('../../examples/tour.txt', import.meta.url), 'utf8');
  await session.type(...tour.split('\n'));
  code = await session.end();
  out = session.printed();
}, 120_000);

afterAll(async () => {
  await session?.close();
});

/** The part of the transcript from the line typed as `line` up to the next typed line. */
function after(line: string): string {
  const start = out.indexOf(`> ${line}\n`);
  expect(start, `the tour typed ${line}`).toBeGreaterThanOrEqual(0);
  const next = out.slice(start + 1).search(/\n[a-z]+ #[a-z0-9_-]+> /);
  return next < 0 ? out.slice(start) : out.slice(start, start + 1 + next);
}

describe('the scripted tour', () => {
  it('answers every line without an error and exits 0', () => {
    expect(out).toMatch(/Script done: \d+ lines, \d+ answered, 0 errors\./);
    expect(code).toBe(0);
    expect(out).not.toMatch(/\{"level"/);
  });

  it('takes an outage from preview to resolved, with root edits and thread replies in two channels', () => {
    expect(after('/notice outage prod-east sev2 components=api API returns 503')).toMatch(/Preview: outage notice for Production East[\s\S]*2 in the console[\s\S]*\[1\] Send to/);
    const sent = after('1');
    expect(sent).toMatch(/── #payments · new post \[m\d+\]/);
    expect(sent).toMatch(/── #prod-east-notices · new post \[m\d+\]/);
    const identified = after('/notice update 1 identified Bad config push; rolling back');
    for (const channel of ['payments', 'prod-east-notices']) {
      expect(identified).toMatch(new RegExp(`── #${channel} · \\[m\\d+\\] edited, now revision 2\\n[^\\n]*identified`));
      expect(identified).toMatch(new RegExp(`── #${channel} · reply \\[m\\d+\\] in the thread of \\[m\\d+\\]`));
    }
    expect(after('/notice update 1 resolved Rolled back; error rates are normal again')).toMatch(/edited, now revision 3\n[^\n]*resolved/);
  });

  it('routes a support request to the tribute, who acknowledges and resolves it', () => {
    const asked = after('/support team=payments Refunds are stuck');
    expect(asked).toMatch(/── #payments-help · new post[\s\S]*\[4\] Ack {2}\[5\] Resolve/);
    expect(asked).toMatch(/── DM to Alice Example \(alice\)/);
    expect(after('4')).toMatch(/── #payments-help · \[m\d+\] edited, now revision 2[\s\S]*\[6\] Resolve/);
    expect(after('6')).toMatch(/#payments-help · \[m\d+\] edited, now revision 3[\s\S]*[Rr]esolved/);
  });

  it('has a swap requested by one person and accepted by the other', () => {
    expect(after('/oncall swap infra "tomorrow 23:00" @bob "tomorrow 12:00"')).toMatch(/── DM to Bob Example \(bob\)[\s\S]*\[7\] Accept {2}\[8\] Decline/);
    const accepted = after('7');
    expect(accepted).toMatch(/── DM to Bob Example · \[m\d+\] edited by the button/);
    expect(accepted).toMatch(/── DM to Dana Example \(dana\)/);
  });

  it('takes an onboarding request from the questionnaire to claimed', () => {
    expect(after('submit')).toMatch(/── #onboarding-intake · new post[\s\S]*\[9\] Claim/);
    expect(after('/onboard status ob-1')).toMatch(/claimed/i);
  });

  it('proposes a release into a maintenance window and reschedules it', () => {
    expect(after('/release propose payments-api 1.4.0 prod-east "next tue 11:00" 2h')).toMatch(/1 conflict on Production East[\s\S]*Maintenance window: Database upgrade/);
    const moved = after('/release reschedule R1 "next wed 11:00"');
    expect(moved).toMatch(/Release R1 moved/);
    expect(moved).toMatch(/No conflicts/);
    expect(moved).toMatch(/── #prod-east-notices · new post[\s\S]*Release rescheduled/);
  });

  it('announces a cadence meeting in the channel and takes an RSVP', () => {
    expect(after('/cadence move tour-standup next "in 2s"')).toMatch(/── #console · new post[\s\S]*\[16\] Going/);
    expect(after('16')).toMatch(/Going|going/);
  });
});
