/**
 * Release coordination as a newcomer meets it in the console (day2.example.yaml): apps and
 * environments by their names, refusals that say who may act in plain English, and no nested
 * brackets around the status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleSession } from '../support/console-script.js';

let s: ConsoleSession;

beforeAll(async () => {
  s = await startConsole();
  await s.type('/day2 as bob');
}, 60_000);

afterAll(async () => {
  await s?.close();
});

describe('release answers in the console', () => {
  it('states the status of a proposal once, without brackets in brackets', async () => {
    const proposed = await s.type('/release propose payments-api 9.9.1 prod-east "next tue 11:00" 2h');
    expect(proposed).toMatch(/Release R1 proposed: Payments API 9\.9\.1 → Production East/);
    expect(proposed).toMatch(/11:00 [A-Z]{3} – 13:00 [A-Z]{3} · \*proposed \(not yet confirmed\)\*/);
    expect(proposed).not.toMatch(/\(proposed \(/);
  });

  it('names environments and apps in list, calendar and stats', async () => {
    expect(await s.type('/release list prod-east')).toMatch(/Releases on Production East\n/);
    const calendar = await s.type('/release calendar prod-east today "in 8w"');
    expect(calendar).toMatch(/Release calendar: Production East\n/);
    // A release that ends the day it starts gives its end as a time only.
    expect(calendar).toMatch(/, 11:00 [A-Z]{3} – 13:00 [A-Z]{3} · \*Release\* on Production East: Payments API 9\.9\.1 \(Bob Example\)/);
    expect(calendar).not.toMatch(/on prod-east|payments-api/);
    expect(await s.type('/release stats payments-api')).toMatch(/Release health: Payments API\n/);
    expect(await s.type('/release stats prod-east')).toMatch(/Release health: Production East\n/);
  });

  it('refuses with who may act, each with its article', async () => {
    await s.type('/day2 as dana');
    expect(await s.type('/release cancel R1 Descoped')).toMatch(/Only a RelE, an admin or an owner of Payments API may cancel it\./);
    expect(await s.type('/release signoff R1')).toMatch(/The sign-offs still missing need a RelE, an app owner or a PRE of the environment; you are not one for R1\./);
    expect(await s.type('/release check R1 manifests')).toMatch(/Only a RelE or an app owner may tick "Manifests/);
  });
});
