/**
 * Mounts every iCalendar feed on the HTTP server, each reading the feature that owns its data.
 */
import type { Express } from 'express';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { CadenceFeature } from '../../services/cadence/wiring.js';
import type { NoticeFeature } from '../../services/notice/wiring.js';
import type { OncallFeature } from '../../services/oncall/wiring.js';
import type { ReleaseServices } from '../../services/release/wiring.js';
import { mountCadenceIcal } from './cadence.js';
import { mountMaintenanceIcal } from './notice.js';
import { mountOncallIcal } from './oncall.js';
import { mountReleaseIcal } from './release.js';

export interface FeedSources {
  config: () => Config;
  log: Logger;
  clock: () => Date;
  notices: NoticeFeature;
  oncall: Pick<OncallFeature, 'oncall' | 'oncallIcalTokens'>;
  cadence: CadenceFeature;
  releases: ReleaseServices;
}

export function mountFeeds(app: Express, f: FeedSources): void {
  mountMaintenanceIcal(app, { config: f.config, tokens: f.notices.icalTokens, windows: f.notices.maintenanceWindows, log: f.log });
  mountOncallIcal(app, { config: f.config, tokens: f.oncall.oncallIcalTokens, oncall: f.oncall.oncall, log: f.log.child({ feature: 'oncall' }), clock: f.clock });
  mountCadenceIcal(app, { config: f.config, cadence: f.cadence.cadence, log: f.log.child({ feature: 'cadence' }) });
  mountReleaseIcal(app, { store: f.releases.store, coordinator: f.releases.coordinator, clock: f.clock, log: f.log });
}
