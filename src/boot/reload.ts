/**
 * Config reloads (`/day2 reload` and SIGHUP take this one path): read and check the whole file
 * first, and only when it is sound swap it in; a bad file leaves the running config untouched.
 * Every attempt sets the reload metrics (named as Prometheus names its own), and a refused one
 * is logged on one line, so an alert can fire on the gauge and the log says why.
 */
import type { ReloadOutcome } from '../../commands/services.js';
import { loadConfig, type Config, type ConfigProblem } from '../config.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { count } from '../domain/wording.js';

export interface ConfigHolder {
  current(): Config;
  /** Load `file`; on success the new config is in force when this resolves. */
  reload(): Promise<ReloadOutcome>;
}

export interface ConfigHolderOptions {
  initial: Config;
  file: string | undefined;
  log: Logger;
  metrics: Pick<Metrics, 'configReloadSuccessful' | 'configReloadSuccessTimestamp'>;
  onChange: (config: Config) => void;
  clock?: () => Date;
}

/** Problems as one log line: `path: message; path: message`. */
export function problemsOnOneLine(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`.replace(/\s*\n\s*/g, ' ')).join('; ');
}

export function createConfigHolder(opts: ConfigHolderOptions): ConfigHolder {
  const { file, log, metrics } = opts;
  const clock = opts.clock ?? (() => new Date());
  let config = opts.initial;
  const succeeded = () => {
    metrics.configReloadSuccessful.set(1);
    metrics.configReloadSuccessTimestamp.set(Math.floor(clock().getTime() / 1000));
  };
  const refused = (problems: ConfigProblem[]): ReloadOutcome => {
    metrics.configReloadSuccessful.set(0);
    log.warn({ file, problems: problems.length }, `config reload refused, keeping the running config (${count(problems.length, 'problem')}): ${problemsOnOneLine(problems)}`);
    return { ok: false, problems };
  };
  // The config in force at start was loaded (and checked) by the caller: that is a good load.
  succeeded();
  return {
    current: () => config,
    async reload() {
      if (!file) return { ok: false, problems: [{ path: '(config)', message: 'this bot was started without a config file, so there is nothing to reload' }] };
      let result: Awaited<ReturnType<typeof loadConfig>>;
      try {
        result = await loadConfig(file);
      } catch (e) {
        // loadConfig reports problems as values; anything thrown is a bug, and must not take the bot down.
        result = { ok: false, problems: [{ path: file, message: `could not be checked: ${(e as Error).message}` }] };
      }
      if (!result.ok) return refused(result.problems);
      if (result.config.redisPrefix !== config.redisPrefix) {
        return refused([{ path: 'redisPrefix', message: 'cannot change while running: restart Day2 to move to another prefix' }]);
      }
      config = result.config;
      opts.onChange(config);
      succeeded();
      log.info({ file }, 'config reloaded');
      return { ok: true, people: config.people.length, teams: config.teams.length, environments: config.environments.length };
    },
  };
}
