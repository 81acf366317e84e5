/**
 * The HTTP endpoints Mattermost calls: `POST|GET /mattermost/command` (custom slash commands,
 * command-route.ts) and `POST /mattermost/actions` (button clicks and dialog submissions,
 * action-routes.ts). Each request is checked before anything runs, dispatched, and answered
 * within the ack budget (route-kit.ts); a late answer goes to the command's response_url, or
 * through the API.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { handleAction } from './action-routes.js';
import { handleCommand } from './command-route.js';
import { sendJson, type RouteDeps } from './route-kit.js';

export type { LateReplies, RouteDeps } from './route-kit.js';

export const COMMAND_PATH = '/mattermost/command';
export const ACTIONS_PATH = '/mattermost/actions';

export function mattermostRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  const wrap = (handle: (deps: RouteDeps, req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => {
    handle(deps, req, res).catch((err: unknown) => {
      deps.log.error({ err }, 'mattermost request handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    });
  };

  const form = answerParseErrors(express.urlencoded({ extended: false, limit: '256kb' }));
  router.post(COMMAND_PATH, form, wrap(handleCommand));
  router.get(COMMAND_PATH, wrap(handleCommand));
  router.post(ACTIONS_PATH, answerParseErrors(express.json({ limit: '1mb' })), wrap(handleAction));
  return router;
}

/**
 * A body that does not parse (not JSON, a bare `null`, too large) is the sender's mistake: answer
 * 4xx here, or Express's default error handler would answer 500 with a stack trace.
 */
function answerParseErrors(parser: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    void parser(req, res, (err?: unknown) => {
      if (!err) return next();
      const status = (err as { status?: unknown }).status;
      sendJson(res, typeof status === 'number' && status >= 400 && status < 500 ? status : 400, { error: 'malformed request body' });
    });
  };
}
