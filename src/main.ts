/**
 * Day2's process entry: read the environment and config, find Redis, build the bot, start it,
 * and stop it cleanly on SIGTERM/SIGINT. Reload the config on SIGHUP. Wiring only.
 */
import { existsSync, statSync } from 'node:fs';
import { createBot } from './app.js';
import { formatProblems, loadConfig } from './config.js';
import { DEFAULT_REDIS_URL, parseEnv } from './env.js';
import { createLogger } from './log.js';
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
  const log = createLogger({ level: env.LOG_LEVEL });

  // Quick start: with no config of their own, newcomers get the documented example.
  let configFile = env.DAY2_CONFIG;
  if (!process.env.DAY2_CONFIG && !existsSync(configFile) && existsSync(EXAMPLE_CONFIG)) {
    log.info(`no ${configFile} found; using ${EXAMPLE_CONFIG} (copy it to day2.yaml to make it yours)`);
    configFile = EXAMPLE_CONFIG;
  }
  const fileProblem = configFileProblem(configFile);
  if (fileProblem) {
    console.error(`Day2 cannot start: ${fileProblem}`);
    return 1;
  }
  const configResult = await loadConfig(configFile);
  if (!configResult.ok) {
    console.error(`Day2 cannot start: ${configFile} has problems:\n${formatProblems(configResult.problems)}`);
    return 1;
  }
  const config = configResult.config;

  let localRedis: LocalRedis | undefined;
  let redisUrl = env.REDIS_URL ?? DEFAULT_REDIS_URL;
  if (!env.REDIS_URL && !(await answers('127.0.0.1', 6379))) {
    localRedis = await startLocalRedis({ dataDir: './data' }).catch((err: Error) => {
      console.error(`Could not start redis-server: ${err.message}`);
      return undefined;
    });
    if (!localRedis) {
      console.error(NO_REDIS_HELP);
      return 1;
    }
    redisUrl = localRedis.url;
    log.info({ url: redisUrl, dataDir: './data' }, 'no Redis was running: started redis-server for this session (stops with Day2)');
  }

  const platformsConfigured = Boolean(env.SLACK_BOT_TOKEN || env.MATTERMOST_URL);
  const useConsole = env.DAY2_CONSOLE === 'true' || (env.DAY2_CONSOLE === 'auto' && !platformsConfigured);
  const consoleUser = config.roles.admin?.find((p) => !p.includes(':')) ?? config.people[0]?.id ?? 'console';

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'stopping');
    await bot.stop(DRAIN_TIMEOUT_MS);
    await localRedis?.stop();
    process.exit(0);
  };

  const bot = await createBot({
    env,
    config,
    configFile,
    redisUrl,
    // /healthz answers from the first moment, even while Redis is still unreachable.
    listenEarly: { port: env.PORT },
    log,
    console: useConsole
      ? { input: process.stdin, output: process.stdout, interactive: Boolean(process.stdin.isTTY), userId: consoleUser, // Ctrl-D ends an interactive session; a closed stdin (containers) leaves the bot running.
          onClose: process.stdin.isTTY ? () => void shutdown('stdin closed') : undefined }
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
