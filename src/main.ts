/**
 * Day2's process entry: read the environment and config, find Redis, build the bot, start it,
 * and stop it cleanly on SIGTERM/SIGINT. Reload the config on SIGHUP. Wiring only.
 */
import { existsSync, statSync } from 'node:fs';
import { createBot } from './app.js';
import { consoleLogger } from './boot/console-log.js';
import { consoleMode, finishScript, settle } from './boot/console-session.js';
import { portProblem } from './boot/port-check.js';
import type { ConsoleAdapter } from './chat/console/adapter.js';
import { formatProblems, loadConfig, type Config } from './config.js';
import { DEFAULT_REDIS_URL, parseEnv, type Env } from './env.js';
import { createLogger, type Logger } from './log.js';
import { NO_REDIS_HELP, answers, startLocalRedis, type LocalRedis } from './store/local-redis.js';

const EXAMPLE_CONFIG = 'day2.example.yaml';
/** How long SIGTERM lets in-flight jobs finish; docker-compose.yml's stop_grace_period outlasts it. */
export const DRAIN_TIMEOUT_MS = 10_000;

/** Why `file` cannot be the config file (missing, or a directory a bind mount made), or undefined. */
export function configFileProblem(file: string): string | undefined {
  let stats;
  try {
    stats = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? `config file ${file} is missing: copy day2.example.yaml there or set DAY2_CONFIG`
      : `config file ${file} cannot be read: ${(e as Error).message}`;
  }
  if (stats.isFile()) return undefined;
  return stats.isDirectory()
    ? `config file ${file} is a directory, not a file: mount the directory that holds day2.yaml (see docker-compose.yml) or set DAY2_CONFIG to the file`
    : `config file ${file} is not a regular file`;
}

export async function main(): Promise<number> {
  const envResult = parseEnv(process.env);
  if (!envResult.ok) {
    console.error(`Day2 cannot start: the environment has problems:\n${formatProblems(envResult.problems)}`);
    return 1;
  }
  const env = envResult.env;
  const platformsConfigured = Boolean(env.SLACK_BOT_TOKEN || env.MATTERMOST_URL);
  const useConsole = env.DAY2_CONSOLE === 'true' || (env.DAY2_CONSOLE === 'auto' && !platformsConfigured);
  // In console mode the terminal is the chat: logs go to a file (or to stderr, warnings only).
  const consoleLog = useConsole ? consoleLogger({ level: env.LOG_LEVEL }) : undefined;
  const log = consoleLog?.log ?? createLogger({ level: env.LOG_LEVEL });
  const notes: string[] = [];
  const settings = await readConfig(env, notes);
  if (!settings) return 1;
  const { config, configFile } = settings;
  // A second Day2 on the same port says so in one line, before it touches anything.
  const portTaken = await portProblem(env.PORT);
  if (portTaken) {
    console.error(portTaken);
    return 1;
  }

  const redis = await findRedis(env, log);
  if (!redis) return 1;
  if (redis.local) notes.push(`no Redis was running: started redis-server on ${redis.url} for this session (data in ./data; stops with Day2)`);

  const mode = useConsole ? consoleMode(process.stdin) : undefined;
  const consoleUser = config.roles.admin?.find((p) => !p.includes(':')) ?? config.people[0]?.id ?? 'console';
  if (consoleLog && mode !== 'scripted') for (const note of [...notes, `logs: ${consoleLog.where}`]) console.log(`Day2: ${note}`);
  else for (const note of notes) log.info(note);

  let shuttingDown = false;
  const shutdown = async (signal: string, code = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'stopping');
    await bot.stop(DRAIN_TIMEOUT_MS);
    await redis.local?.stop();
    process.exit(code);
  };
  const endOfInput = () => {
    if (mode === 'scripted') {
      void finishScript(bot.adapters.get('console') as ConsoleAdapter, bot.pendingWork?.bind(bot), process.stdout).then((code) => shutdown('end of script', code));
    } else if (mode === 'interactive') void shutdown('stdin closed');
    // Detached (a container without a terminal): a closed stdin leaves the bot running.
  };

  const bot = await createBot({
    env,
    config,
    configFile,
    redisUrl: redis.url,
    // /healthz answers from the first moment, even while Redis is still unreachable.
    listenEarly: { port: env.PORT },
    log,
    console: useConsole
      ? { input: process.stdin, output: process.stdout, interactive: mode === 'interactive', echo: mode === 'scripted', ...(mode === 'scripted' ? { afterLine: () => settle(bot.pendingWork) } : {}), userId: consoleUser, people: () => config.people, onClose: endOfInput }
      : undefined,
  });
  const port = await bot.start(env.PORT);
  if (useConsole) log.info({ port, user: consoleUser }, 'console adapter on: type /day2 help');

  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  // A refused reload is logged (one line) and counted in the reload metrics by the bot itself.
  process.on('SIGHUP', () => {
    void bot.reload().catch((err: unknown) => log.error({ err }, 'config reload failed; keeping the running config'));
  });
  return 0;
}

/** The config file in force (the example when there is none), or undefined after saying why not. */
async function readConfig(env: Env, notes: string[]): Promise<{ config: Config; configFile: string } | undefined> {
  // Quick start: with no config of their own, newcomers get the documented example.
  let configFile = env.DAY2_CONFIG;
  if (!process.env.DAY2_CONFIG && !existsSync(configFile) && existsSync(EXAMPLE_CONFIG)) {
    notes.push(`no ${configFile} found: using ${EXAMPLE_CONFIG} (copy it to day2.yaml to make it yours)`);
    configFile = EXAMPLE_CONFIG;
  }
  const fileProblem = configFileProblem(configFile);
  if (fileProblem) {
    console.error(`Day2 cannot start: ${fileProblem}`);
    return undefined;
  }
  const configResult = await loadConfig(configFile);
  if (!configResult.ok) {
    console.error(`Day2 cannot start: ${configFile} has problems:\n${formatProblems(configResult.problems)}`);
    return undefined;
  }
  return { config: configResult.config, configFile };
}

/** Redis from REDIS_URL, the one on 6379, or a redis-server started for this session. */
async function findRedis(env: Env, log: Logger): Promise<{ url: string; local?: LocalRedis } | undefined> {
  if (env.REDIS_URL || (await answers('127.0.0.1', 6379))) return { url: env.REDIS_URL ?? DEFAULT_REDIS_URL };
  const local = await startLocalRedis({ dataDir: './data' }).catch((err: Error) => {
    console.error(`Could not start redis-server: ${err.message}`);
    return undefined;
  });
  if (!local) {
    console.error(NO_REDIS_HELP);
    return undefined;
  }
  log.info({ url: local.url, dataDir: './data' }, 'started redis-server for this session');
  return { url: local.url, local };
}
