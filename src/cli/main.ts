/**
 * `day2 <command>`: `start` (default) runs the bot, `check-config [file]` lints a config file,
 * `import <tool>` reads another on-call tool's schedules into a config fragment, `help` lists these.
 */
import { checkConfig } from './check-config.js';

const USAGE = `Usage: day2 [command]

Commands:
  start                  run the bot (default; same as npm start)
  check-config [file]    validate a config file (default: $DAY2_CONFIG or ./day2.yaml); exit 1 on problems
  register-mattermost-commands <team id>
                         create/update the slash commands on a Mattermost team and print their tokens
  import <opsgenie|pagerduty|grafana-oncall> [options]
                         read another on-call tool's schedules into a day2.yaml fragment (see: day2 import --help)
  help                   show this text`;

async function cli(argv: string[]): Promise<number> {
  const [command = 'start', ...rest] = argv;
  switch (command) {
    case 'start': {
      const { main } = await import('../main.js');
      return main();
    }
    case 'check-config':
      if (rest.length > 1) {
        console.error(`check-config takes at most one file.\n\n${USAGE}`);
        return 2;
      }
      return checkConfig(rest[0] ?? process.env.DAY2_CONFIG ?? './day2.yaml');
    case 'register-mattermost-commands': {
      const { registerMattermostCommands } = await import('./register-mattermost.js');
      return registerMattermostCommands(rest, process.env);
    }
    case 'import': {
      // `day2 import --help` too: the importer prints its own usage.
      const { runImport } = await import('./import/cli.js');
      return runImport(rest, process.env, { out: (t) => console.log(t), err: (l) => console.error(l) });
    }
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

process.exitCode = await cli(process.argv.slice(2));
