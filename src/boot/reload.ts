/**
 * Config reloads (`/day2 reload` and SIGHUP take this one path): read and check the whole file
 * first, and only when it is sound swap it in; a bad file leaves the running config untouched.
 */
import type { ReloadOutcome } from '../../commands/services.js';
import { loadConfig, type Config } from '../config.js';
import type { Logger } from '../log.js';

export interface ConfigHolder {
  current(): Config;
  /** Load `file`; on success the new config is in force when this resolves. */
  reload(): Promise<ReloadOutcome>;
}

export function createConfigHolder(initial: Config, file: string | undefined, log: Logger, onChange: (config: Config) => void): ConfigHolder {
  let config = initial;
  return {
    current: () => config,
    async reload() {
      if (!file) return { ok: false, problems: [{ path: '(config)', message: 'this bot was started without a config file, so there is nothing to reload' }] };
      const result = await loadConfig(file);
      if (!result.ok) {
        log.warn({ problems: result.problems }, 'config reload refused; keeping the old config');
        return result;
      }
      if (result.config.redisPrefix !== config.redisPrefix) {
        return { ok: false, problems: [{ path: 'redisPrefix', message: 'cannot change while running: restart Day2 to move to another prefix' }] };
      }
      config = result.config;
      onChange(config);
      log.info({ file }, 'config reloaded');
      return { ok: true, people: config.people.length, teams: config.teams.length, environments: config.environments.length };
    },
  };
}
