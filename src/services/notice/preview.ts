/**
 * A notice from draft to confirmation: the draft is kept with its audience counts for the
 * author to check; confirming fixes the audience and starts the fan-out, the window timers and
 * the completion report. Pressing confirm twice gives one notice.
 */
import { randomBytes } from 'node:crypto';
import { countByPlatform } from '../../domain/notice/audience.js';
import type { NoticeDraft } from '../../domain/notice/notice.js';
import { checkWindow, initialStatus } from '../../domain/notice/rules.js';
import { InputError } from '../../errors.js';
import { RecordConflictError } from '../../store/record.js';
import type { NoticeShared } from './shared.js';
import type { NoticeService, NoticeServiceDeps } from './types.js';

export function previewOps(deps: NoticeServiceDeps, shared: NoticeShared): Pick<NoticeService, 'draft' | 'confirm' | 'create'> {
  const { store, log } = deps;
  const { environment, audience, offsetsMs, maxWindowMs, load, buildNotice, scheduleFanout, scheduleWindow, scheduleReport } = shared;
  const ops: Pick<NoticeService, 'draft' | 'confirm' | 'create'> = {
    async draft(input, now = new Date()) {
      const env = environment(input.env);
      if (input.kind === 'maintenance') {
        if (!input.start || !input.end) throw new InputError('a maintenance notice needs a start and an end or a duration');
        checkWindow(input.start, input.end, now, maxWindowMs());
      }
      const targets = await audience(env.id, input.kind, input.components);
      const draft: NoticeDraft = {
        draftId: randomBytes(8).toString('hex'),
        env: env.id,
        envName: env.name,
        kind: input.kind,
        classification: env.classification,
        status: initialStatus(input.kind),
        summary: input.summary,
        components: input.components,
        zone: env.timezone ?? deps.config().timezone,
        author: input.author,
        reminders: input.kind === 'maintenance' ? offsetsMs() : [],
        createdAt: now.toISOString(),
      };
      if (input.severity) draft.severity = input.severity;
      if (input.service) draft.service = input.service;
      if (input.version) draft.version = input.version;
      if (input.notes) draft.notes = input.notes;
      if (input.alertPage) draft.alertPage = input.alertPage;
      if (input.declaredFrom) draft.declaredFrom = input.declaredFrom;
      if (input.start) draft.start = input.start.toISOString();
      if (input.end) draft.end = input.end.toISOString();
      await store.putDraft(draft);
      return { draft, audience: targets, counts: countByPlatform(targets) };
    },

    async confirm(draftId, now = new Date()) {
      const stored = await store.draft(draftId);
      if (!stored) throw new InputError('this draft has expired or was discarded; run the command again');
      const d = stored.value;
      if (d.noticeId) {
        // A second press, or a retry after a crash: finish what the first one started.
        const existing = await store.get(d.noticeId);
        if (existing) {
          await scheduleFanout(existing, 1);
          return existing;
        }
      }
      if (d.kind === 'maintenance' && d.start && d.end) checkWindow(new Date(d.start), new Date(d.end), now, maxWindowMs());
      const id = await store.claimDraft(draftId, await store.nextId());
      let notice = await store.get(id);
      if (!notice) {
        // The audience is fixed now: later subscribers do not get half a thread.
        const targets = await audience(d.env, d.kind, d.components);
        try {
          notice = await store.create(buildNotice(d, id, targets, now));
        } catch (e) {
          // Two presses handled at once: the other one created it.
          if (!(e instanceof RecordConflictError)) throw e;
          notice = await load(id);
        }
      }
      await scheduleFanout(notice, 1);
      await scheduleWindow(notice, now);
      await scheduleReport(notice, 1, now);
      log.info({ notice: notice.id, env: notice.env, kind: notice.kind, audience: notice.audience.length }, 'notice confirmed');
      return notice;
    },

    async create(input, now = new Date()) {
      const { draft } = await ops.draft(input, now);
      return ops.confirm(draft.draftId, now);
    },
  };
  return ops;
}
