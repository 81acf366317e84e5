/**
 * Mounts every iCalendar feed on the HTTP server, each reading the feature that owns its data.
 * They share one event ledger (SEQUENCE, LAST-MODIFIED and DTSTAMP, see sync.ts).
 */
import type { Express } from 'express';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { CadenceFeature } from '../../services/cadence/wiring.js';
import type { NoticeFeature } from '../../services/notice/wiring.js';
import type { OncallFeature } from '../../services/oncall/wiring.js';
import type { ReleaseServices } from '../../services/release/wiring.js';
import { createFeedEventLedger } from '../../store/feed-events.js';
import type { RedisClient } from '../../store/redis.js';
import { mountCadenceIcal } from './cadence.js';
import { mountMaintenanceIcal } from './notice.js';
import { mountOncallIcal } from './oncall.js';
import { mountReleaseIcal } from './release.js';

export interface FeedSources {
  config: () => Config;
  redis: RedisClient;
  log: Logger;
  clock: () => Date;
  notices: NoticeFeature;
  oncall: Pick<OncallFeature, 'oncall' | 'oncallIcalTokens'>;
  cadence: Pick<CadenceFeature, 'cadence'>;
  releases: ReleaseServices;
}

export function mountFeeds(app: Express, f: FeedSources): void {
  const events = createFeedEventLedger(f.redis);
  const { config, clock } = f;
  mountMaintenanceIcal(app, { config, tokens: f.notices.icalTokens, windows: f.notices.maintenanceWindows, events, log: f.log, clock });
  mountOncallIcal(app, { config, tokens: f.oncall.oncallIcalTokens, oncall: f.oncall.oncall, events, log: f.log.child({ feature: 'oncall' }), clock });
  mountCadenceIcal(app, { config, cadence: f.cadence.cadence, events, log: f.log.child({ feature: 'cadence' }), clock });
  mountReleaseIcal(app, { store: f.releases.store, coordinator: f.releases.coordinator, events, clock, log: f.log });
}
