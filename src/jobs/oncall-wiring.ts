/**
 * Wires the on-call feature into a bot: the rotation store and service, and `services.oncall`
 * for command handlers. A successful config reload starts new declaration versions at once, so a
 * changed rotation applies from the reload instant on.
 */
import type { Config } from '../config.js';
import type { Services } from '../dispatch/services.js';
import type { Logger } from '../log.js';
import { createRotationStore } from '../store/rotation/rotation-store.js';
import { createOncallService, type OncallService } from './oncall-service.js';

declare module '../dispatch/services.js' {
  interface Services {
    /** Rotations, their resolved schedules and chat changes (commands/oncall.ts). */
    oncall?: OncallService;
  }
}

export interface OncallWiring {
  services: Services;
  config: () => Config;
  log: Logger;
  clock?: () => Date;
}

export function wireOncall(ctx: OncallWiring): OncallService {
  const clock = ctx.clock ?? (() => new Date());
  const oncall = createOncallService({ store: createRotationStore(ctx.services.redis), config: ctx.config });
  const reload = ctx.services.reload;
  if (reload) {
    ctx.services.reload = async () => {
      const outcome = await reload();
      if (outcome.ok) await oncall.sync(clock()).catch((e: unknown) => ctx.log.error({ err: e }, 'on-call: syncing rotations after reload failed'));
      return outcome;
    };
  }
  ctx.services.oncall = oncall;
  return oncall;
}
