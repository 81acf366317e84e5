/**
 * A cadence as a newcomer meets it in the console (day2.example.yaml): created by a manager in
 * Singapore, so every time she reads must be in her zone and named once; channels and people by
 * the names their readers know, never ids.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startConsole, type ConsoleSession } from '../support/console-script.js';

let s: ConsoleSession;

beforeAll(async () => {
  s = await startConsole();
  await s.type('/day2 as carol', '/day2 in payments');
}, 60_000);

afterAll(async () => {
  await s?.close();
});

describe('a cadence created and changed in the console', () => {
  it('confirms the creation in the creator\'s zone, not the default one', async () => {
    const preview = await s.type('/cadence create team-sync weekly tue 10:00 Europe/Berlin here kind=meeting');
    expect(preview).toMatch(/Tue \d{1,2} \w{3} \d{4}, 17:00 GMT\+8 \(Singapore\)/);
    const button = /\[(\d+)\] Create cadence/.exec(preview)![1]!;
    const created = await s.type(button);
    expect(created).toMatch(/next happens Tue \d{1,2} \w{3} \d{4}, 17:00 GMT\+8 \(Singapore\)/);
    expect(created).not.toMatch(/CET/);
  });

  it('reads a word after the time that is neither zone nor channel as either', async () => {
    const answer = await s.type('/cadence create odd-sync weekly tue 10:00 payments');
    expect(answer).toMatch(/"payments" is neither a time zone \(e\.g\. Europe\/Berlin, UTC\) nor a channel Day2 can address \("here"/);
    expect(await s.type('/cadence create odd-sync weekly tue 10:00 Mars/Olympus')).toMatch(/"Mars\/Olympus" is not an IANA time zone/);
  });

  it('names channels and the creator, not their ids', async () => {
    const show = await s.type('/cadence show team-sync');
    expect(show).toMatch(/Channels: #payments \(console\)/);
    expect(show).not.toMatch(/console:payments/);
    expect(show).toMatch(/created in chat by @Carol Example/);
    const config = await s.type('/cadence show resiliency-exercise');
    expect(config).toMatch(/Blocking: yes \(Production East\)/);
    expect(config).toMatch(/#prod-east-notices \(console\)/);
  });

  it('says each skipped or moved time once, with its zone', async () => {
    const skipped = await s.type('/cadence skip team-sync next');
    expect(skipped).toMatch(/Skipped team-sync on Tue \d{1,2} \w{3} \d{4}, 17:00 GMT\+8 \(Singapore\)\.\n/);
    expect(skipped).not.toMatch(/Asia\/Singapore/);
    const moved = await s.type('/cadence move team-sync next "next mon 14:00"');
    expect(moved).toMatch(/Moved team-sync from .+ to Mon \d{1,2} \w{3} \d{4}, 14:00 GMT\+8 \(Singapore\)\.\n/);
    expect(moved).not.toMatch(/Asia\/Singapore/);
  });

  it('says what an edit changed and when the cadence next happens', async () => {
    expect(await s.type('/cadence edit team-sync time=11:00 reminders=1d,30m')).toMatch(/Updated time, reminders of team-sync; it next happens \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d GMT\+8 \(Singapore\)\./);
    await s.type('/cadence pause team-sync');
    expect(await s.type('/cadence edit team-sync title="Team sync"')).toMatch(/Updated title of team-sync; it is paused/);
  });

  it('signs notes with the author\'s name and refuses an action owner who is nobody', async () => {
    const preview = await s.type('/cadence create soon-sync daily 09:00 Europe/Berlin here kind=meeting');
    await s.type(/\[(\d+)\] Create cadence/.exec(preview)![1]!, '/cadence move soon-sync next "in 1s"');
    // Notes go on a past occurrence: wait for this one's announcement.
    await vi.waitFor(() => expect(s.printed()).toMatch(/\*soon-sync\* starts/), { timeout: 8000 });
    const notes = await s.type('/cadence notes soon-sync "Redis 7 upgrade agreed"');
    expect(notes).toMatch(/Notes added to soon-sync/);
    await vi.waitFor(() => expect(s.printed()).toMatch(/Redis 7 upgrade agreed\n\n— soon-sync of .+ · by @Carol Example/), { timeout: 5000 });
    expect(await s.type('/cadence action soon-sync @nobody Write it')).toMatch(/there is no person "nobody" in the configuration/);
    expect(await s.type('/cadence action soon-sync @alice Write the plan')).toMatch(/Action item \S+ added to soon-sync/);
  }, 20_000);
});
