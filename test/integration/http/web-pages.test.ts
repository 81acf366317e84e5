/**
 * The web pages over real HTTP against a whole bot (fake Slack, real Redis and workers): links
 * from `/day2 web` open exactly their page; unknown and private pages are the same 404; expired
 * or forged links a 403 that says how to get a new one; odd queries a 400; an unchanged page a
 * 304; the JSON and Atom twins agree with the page. The browser test (test/infra/web-browser)
 * checks what people see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebWorld, slackAnswer, type WebWorld } from '../../support/web-world.js';
import { SLACK_BOB } from '../../support/bot-rig.js';

let w: WebWorld;
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${w.rig.appUrl}${path}`, { headers, redirect: 'manual' });

beforeAll(async () => {
  w = await startWebWorld();
}, 90_000);

afterAll(async () => {
  await w?.close();
});

describe('web pages over HTTP', () => {
  it('a link from /day2 web opens its status page, with the outage and both updates', async () => {
    const path = await w.linkPath('status', 'prod-east');
    const res = await get(`${path}&tz=America/New_York`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('API returns 503');
    expect(html).toContain('Bad config push; rolling back');
    expect(html).toContain('Fix deployed, watching error rates');
    expect(html).toContain('UNCLASSIFIED // FOUO');
    expect(html).toMatch(/Partial outage/);
    // Times in the viewer's zone, named.
    expect(html).toMatch(/\d{2}:\d{2} E[SD]T/);
    expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z</);
  });

  it('answers 304 to the same page within the minute, and a changed page gets a new ETag', async () => {
    const path = await w.linkPath('status', 'prod-east');
    const first = await get(path);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    expect((await get(path, { 'if-none-match': etag })).status).toBe(304);
    await slackAnswer(w.rig, '/notice', `update ${w.noticeId} monitoring Error rate back to normal`);
    const after = await get(path, { 'if-none-match': etag });
    // Unless the minute turned in between, only the notice changed; either way it is not a 304.
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('Error rate back to normal');
  });

  it('never serves one viewer the page made for another (their links are in it)', async () => {
    const alice = await w.linkPath('status', 'prod-east');
    const admin = await w.rig.bot.services.webLinks!.linkFor('status', 'prod-east', 'bob', new Date(), 3_600_000);
    const a = await (await get(`${alice}&tz=UTC`)).text();
    const b = await get(`${admin.path}&tz=UTC`);
    const bobLink = admin.path.split('link=')[1]!;
    expect(b.status).toBe(200);
    const html = await b.text();
    expect(html).toContain(bobLink);
    expect(html).not.toContain(alice.split('link=')[1]!);
    expect(a).not.toContain(bobLink);
  });

  it('serves the JSON summary and the Atom feed with the same link', async () => {
    const path = await w.linkPath('status', 'prod-east');
    const [base, query] = path.split('?');
    const json = (await (await get(`${base}.json?${query}`)).json()) as { status: { indicator: string }; incidents: { id: string; incident_updates: unknown[] }[]; components: { name: string; status: string }[] };
    expect(json.status.indicator).toBe('major');
    expect(json.incidents.map((i) => i.id)).toEqual([w.noticeId]);
    expect(json.incidents[0]!.incident_updates.length).toBeGreaterThanOrEqual(3);
    expect(json.components.find((c) => c.name === 'api')?.status).toBe('partial_outage');
    expect(json.components.find((c) => c.name === 'db')?.status).toBe('operational');
    const atom = await get(`${base}/feed.atom?${query}`);
    expect(atom.headers.get('content-type')).toContain('application/atom+xml');
    const xml = await atom.text();
    expect(xml).toMatch(/^<\?xml/);
    expect(xml).toContain(`notice-${w.noticeId}</id>`);
  });

  it('a public status page needs no link; a private one without a link is the same 404 as an unknown one', async () => {
    expect((await get('/status/staging')).status).toBe(200);
    const privateOne = await get('/status/prod-east');
    const unknown = await get('/status/prod-west');
    expect(privateOne.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await privateOne.text()).toBe(await unknown.text());
    // An unknown page with a link is still that 404.
    const link = (await w.linkPath('status', 'prod-east')).split('?')[1];
    expect((await get(`/status/prod-west?${link}`)).status).toBe(404);
  });

  it('a public page opened with a token is private to caches: it carries that token, which opens more', async () => {
    expect((await get('/status/staging')).headers.get('cache-control')).toBe('public, no-cache');
    const link = await w.rig.bot.services.webLinks!.linkFor('status', 'staging', 'alice', new Date(), 3_600_000);
    // In the HTML, "=" in an attribute is written &#x3D;.
    const token = /\/ical\/maintenance\/staging\.ics\?token(?:=|&#x3D;)([A-Za-z0-9_-]+)/.exec(await (await get(link.path)).text())?.[1];
    expect(token).toBeDefined();
    // The environment's token opens its (private) calendar too: a shared cache must not keep a page that shows it.
    expect((await get(`/calendar/staging?token=${token}`)).status).toBe(200);
    const withToken = await get(`/status/staging?token=${token}`);
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain(`token&#x3D;${token}`);
    expect(withToken.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('a link opens only its own page: another environment or page kind is a 403', async () => {
    const link = (await w.linkPath('status', 'prod-east')).split('?')[1]!;
    const other = await get(`/status/staging?${link}`);
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('/day2 web status staging');
    expect((await get(`/calendar/prod-east?${link}`)).status).toBe(403);
  });

  it('an expired or forged link is a 403 saying how to get a new one', async () => {
    const link = (await w.linkPath('oncall', 'payments')).split('?')[1]!;
    const [person, exp, sig] = link.slice('link='.length).split('.');
    const forged = await get(`/oncall/payments?link=${person}.${Number(exp) + 3600}.${sig}`);
    expect(forged.status).toBe(403);
    expect(await forged.text()).toMatch(/not valid for this page/);
    const past = await w.rig.bot.services.webLinks!.linkFor('oncall', 'payments', 'alice', new Date(Date.now() - 8 * 86_400_000), 86_400_000);
    const expired = await get(past.path);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/has expired[\s\S]*\/day2 web oncall payments/);
  });

  it('odd queries are a 400 naming the problem; an unknown zone falls back with a note', async () => {
    const link = (await w.linkPath('calendar', 'prod-east')).split('?')[1]!;
    const cases: [string, RegExp][] = [
      [`/calendar/prod-east?${link}&view=year`, /view is &quot;month&quot; or &quot;week&quot;/],
      [`/calendar/prod-east?${link}&date=2026-02-30`, /date is a day such as/],
      [`/calendar/prod-east?${link}&date=0099-12-01`, /in a year from 1970 to 9998/],
      [`/calendar/prod-east?${link}&date=9999-12-01`, /in a year from 1970 to 9998/],
      // A second "?" belongs to the value before it: checked, not dropped.
      [`/calendar/prod-east?${link}&view=week?x=1`, /view is &quot;month&quot; or &quot;week&quot;/],
      [`/calendar/prod-east?${link}&x=1`, /unknown parameter &quot;x&quot;/],
      [`/calendar/prod-east?${link}&tz=UTC&tz=UTC`, /given twice/],
      [`/calendar/prod-east?${link}&tz=${'A'.repeat(1100)}`, /longer than 1024/],
    ];
    for (const [path, expected] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(await res.text(), path).toMatch(expected);
    }
    const odd = await get(`/calendar/prod-east?${link}&tz=Not/AZone`);
    expect(odd.status).toBe(200);
    expect(await odd.text()).toMatch(/“Not\/AZone” is not a time zone Day2 knows, so times are shown in Europe\/Berlin/);
  });

  it('the on-call page shows the cover, the gap and the ledger; the calendar the conflict', async () => {
    const oncall = await (await get(`${await w.linkPath('oncall', 'payments')}&tz=Europe/Berlin`)).text();
    expect(oncall).toContain('bar-override');
    expect(oncall).toContain('bar-gap');
    expect(oncall).toContain('bar-leave');
    expect(oncall).toMatch(/Bob Builder/);
    expect(oncall).toContain('Fairness, last 90 days');
    const cal = await (await get(`${await w.linkPath('calendar', 'prod-east')}&tz=Europe/Berlin&date=${w.releaseDay}`)).text();
    expect(cal).toMatch(/1 release in conflict</);
    expect(cal).toMatch(/overlaps Quarter-end freeze \(F1\)/);
    expect(cal).toContain('Quarter-end freeze');
    expect(cal).toMatch(/Shop 1\.0\.0/);
    expect(cal).toMatch(/checklist 0\/\d+/);
  });

  it('/day2 web lists what the caller may open and refuses a status page they may not read', async () => {
    const all = await slackAnswer(w.rig, '/day2', 'web');
    expect(all.text).toMatch(/Status of Production East/);
    expect(all.text).toMatch(/Payments on call/);
    expect(all.text).toMatch(/Calendar of Staging/);
    expect(all.text).toMatch(/These links are yours: they open their pages until .*Don't share them;/);
    // One link is "it", not "them".
    const one = await slackAnswer(w.rig, '/day2', 'web oncall payments');
    expect(one.text).toMatch(/This link is yours: it opens its page until .*Don't share it;/);
    const bob = await slackAnswer(w.rig, '/day2', 'web status prod-east', SLACK_BOB);
    expect(bob.text).toMatch(/The status of Production East is for its PREs and admins anywhere/);
    // A public status page is everyone's, and its address needs no link.
    const bobPublic = await slackAnswer(w.rig, '/day2', 'web status staging', SLACK_BOB);
    expect(bobPublic.text).toMatch(/Status of Staging: .*\/status\/staging\|open.* \(public\)/);
    expect(bobPublic.text).not.toMatch(/link=/);
    expect((await slackAnswer(w.rig, '/day2', 'web billing prod-east')).text).toMatch(/not a web page/);
  });
});
