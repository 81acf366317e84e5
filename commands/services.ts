/**
 * The services container command handlers receive: the dispatcher's own part
 * (src/dispatch/services.ts: config, directory, Redis, renderer, audit, deliveries, timers)
 * plus what each feature's wiring returns (src/services/<family>/wiring.ts). The app fills it in;
 * handlers never build their own connections or see a chat adapter.
 *
 * Members stay optional so tests and other features can build a Services without them.
 */
import type { DeployNoticePort, PlatformCalendar } from '../src/domain/release/calendar-port.js';
import type { BlockingEvent, CadenceService } from '../src/services/cadence/service.js';
import type { NoticeService } from '../src/services/notice/service.js';
import type { MaintenanceWindow } from '../src/services/notice/wiring.js';
import type { OnboardingService } from '../src/services/onboard/service.js';
import type { DutyGroups } from '../src/services/oncall/duty-groups.js';
import type { HandoffPlanner } from '../src/services/oncall/handoffs.js';
import type { OncallService } from '../src/services/oncall/service.js';
import type { SupportService } from '../src/services/oncall/support.js';
import type { AlertFeature } from '../src/services/alert/wiring.js';
import type { ReleaseServices } from '../src/services/release/wiring.js';
import type { TourService } from '../src/services/tour/service.js';
import type { WebLinks } from '../src/services/web/links.js';
import type { WebPages } from '../src/services/web/pages.js';
import type { IcalTokens } from '../src/store/notice/feed-tokens.js';
import type { OncallIcalTokens } from '../src/store/oncall/feed-tokens.js';

declare module '../src/dispatch/services.js' {
  interface Services {
    /** Outage, maintenance and deploy notices (commands/notice/). */
    notices?: NoticeService;
    /** Non-cancelled maintenance windows of an environment overlapping [from, to). */
    maintenanceWindows?: (env: string, from: Date, to: Date) => Promise<MaintenanceWindow[]>;
    /** Feed tokens for GET /ical/maintenance/<env>.ics. */
    icalTokens?: IcalTokens;
    /** Rotations, their resolved schedules and chat changes (commands/oncall/). */
    oncall?: OncallService;
    /** Handoff/reminder timer planning for rotations. */
    oncallHandoffs?: HandoffPlanner;
    /** Support requests routed to the current tribute (commands/oncall/support.ts). */
    support?: SupportService;
    /** Feed tokens for GET /ical/oncall/<team>.ics. */
    oncallIcalTokens?: OncallIcalTokens;
    /** On-duty groups kept in sync with the rotations (problems shown by `/oncall who`). */
    oncallDutyGroups?: DutyGroups;
    /** Tours of duty (commands/tour.ts). */
    tours?: TourService;
    /** Onboarding intake (requests, drafts, notifications). */
    onboarding?: OnboardingService;
    /** Recurring announcements, meetings and exercises (commands/cadence/). */
    cadence?: CadenceService;
    /** Occurrences of blocking cadences overlapping [from, to); `env` narrows to those naming it (or none). */
    blockingEvents?: (env: string | undefined, from: Date, to: Date) => Promise<BlockingEvent[]>;
    /** Alert pages routed to whoever is on duty (src/services/alert/, commands/oncall/pages.ts). */
    alerts?: AlertFeature;
    /** Release-date coordination (commands/release.ts). */
    releases?: ReleaseServices;
    /** Replaces where maintenance windows and blocking events come from (default: notices and cadence). */
    releaseCalendar?: PlatformCalendar;
    /** Replaces where release-day deploy notices go (default: the notices feature, when present). */
    releaseDeployNotices?: DeployNoticePort;
    /** Web pages' data (src/services/web/pages.ts). */
    webPages?: WebPages;
    /** Signed links to the web pages (`/day2 web`). */
    webLinks?: WebLinks;
  }
}

export type { ReloadOutcome, Services } from '../src/dispatch/services.js';
