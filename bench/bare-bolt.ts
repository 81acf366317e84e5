/**
 * Baseline for bench/ack-latency: a bare Bolt app whose only listener acks `/day2` with a fixed
 * text. Whatever Day2 adds on top of Bolt shows up as the ratio against this.
 * Env: PORT, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL.
 */
import bolt from '@slack/bolt';

const { App, LogLevel } = bolt;

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: LogLevel.ERROR,
  customRoutes: [{ path: '/readyz', method: ['GET'], handler: (_req, res) => void res.writeHead(200).end('ok') }],
});

app.command('/day2', async ({ ack }) => {
  await ack({ response_type: 'ephemeral', text: 'ok' });
});

await app.start(Number(process.env.PORT ?? 3000));
process.once('SIGTERM', () => void app.stop().then(() => process.exit(0)));
