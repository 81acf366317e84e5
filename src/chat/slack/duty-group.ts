/**
 * Who is on duty as a Slack user group (`@payments-tribute`): the group's members are exactly the
 * people on duty. One usergroups.list finds the group (by id or handle, disabled ones included)
 * and shows what it holds now, so nothing is written when it already matches.
 *
 * Slack refuses to empty a group (usergroups.users.update with no users), so "nobody on duty"
 * disables the group: a mention of a disabled group notifies nobody, which is the truth. The next
 * person on duty enables it again.
 */
import type { WebClient } from '@slack/web-api';
import { PermanentError } from '../../errors.js';
import type { DutyGroupResult, DutyGroupSpec } from '../port.js';
import { slackCall } from './client.js';

const GROUP_ID = /^S[A-Z0-9]{2,}$/;

interface Group {
  id: string;
  handle: string;
  users: string[];
  disabled: boolean;
}

export async function syncSlackUsergroup(web: WebClient, spec: DutyGroupSpec): Promise<DutyGroupResult> {
  try {
    return await sync(web, spec);
  } catch (err) {
    throw explain(err, spec.target);
  }
}

async function sync(web: WebClient, spec: DutyGroupSpec): Promise<DutyGroupResult> {
  const byId = GROUP_ID.test(spec.target);
  const handle = spec.target.replace(/^@/, '');
  const list = await slackCall('usergroups.list', () => web.usergroups.list({ include_disabled: true, include_users: true }));
  const found = (list.usergroups ?? []).find((g) => (byId ? g.id === spec.target : g.handle === handle));
  let group: Group | undefined = found?.id ? { id: found.id, handle: found.handle ?? '', users: found.users ?? [], disabled: Boolean(found.date_delete) } : undefined;
  const members = [...new Set(spec.members)].sort();

  if (!group) {
    if (byId || !spec.create) {
      throw new PermanentError('not_found', `slack: no user group ${byId ? spec.target : `with handle @${handle}`}: create it in Slack${byId ? '' : ' (or set create: true)'}, or fix the name in the config`);
    }
    // A new group cannot start empty-handed in a useful way; with nobody on duty it is created later.
    if (members.length === 0) return { changed: false };
    const created = await slackCall('usergroups.create', () => web.usergroups.create({ name: spec.create!.name, handle }));
    const id = created.usergroup?.id;
    if (!id) throw new PermanentError('permanent', 'slack usergroups.create: ok response without a group id');
    group = { id, handle, users: created.usergroup?.users ?? [], disabled: false };
  }

  const id = group.id;
  if (members.length === 0) {
    if (group.disabled) return { changed: false };
    await slackCall('usergroups.disable', () => web.usergroups.disable({ usergroup: id }));
    return { changed: true };
  }
  let changed = false;
  if (group.disabled) {
    await slackCall('usergroups.enable', () => web.usergroups.enable({ usergroup: id }));
    changed = true;
  }
  const current = [...group.users].sort();
  if (current.length !== members.length || current.some((u, i) => u !== members[i])) {
    await slackCall('usergroups.users.update', () => web.usergroups.users.update({ usergroup: id, users: members.join(',') }));
    changed = true;
  }
  return { changed };
}

/** Say what to do about the failures an operator can fix. */
function explain(err: unknown, target: string): unknown {
  if (!(err instanceof PermanentError)) return err;
  // The Web API answer, kept on the wrapped WebAPIPlatformError; missing_scope names the scope.
  const data = (err.cause as { data?: { error?: unknown; needed?: unknown } } | undefined)?.data;
  const code = data?.error;
  const hint =
    code === 'missing_scope'
      ? `the Slack app lacks the ${typeof data?.needed === 'string' ? data.needed : 'usergroups:write'} scope: add it (slack-app-manifest.yaml) and reinstall the app`
      : code === 'permission_denied'
        ? 'the workspace does not let apps manage user groups: Workspace settings → Permissions → User Groups'
        : code === 'invalid_user' || code === 'invalid_users'
          ? 'Slack refused a member (guests and bots cannot join user groups)'
          : undefined;
  if (!hint) return err;
  return new PermanentError(err.code as 'not_found' | 'not_in_channel' | 'auth' | 'permanent', `${err.message} (group ${target}): ${hint}`, { cause: err });
}
