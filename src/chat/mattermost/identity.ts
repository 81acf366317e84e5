/**
 * Who clicked, and whether the click may be what it says. Mattermost's button and dialog requests
 * are unsigned, so their body is only a claim: the user is looked up by `user_id` through the API
 * (never taken from `user_name`), the post a click names is read back to see that it carries the
 * signed key and action, and the clicker must be a member of the post's channel.
 */
import { PermanentError } from '../../errors.js';
import type { MmPost, MmUser } from './api-types.js';
import type { MattermostRest } from './rest.js';
import { TtlCache } from '../ttl-cache.js';

/** What the routes ask of Mattermost about a click or submission (implemented on the REST API). */
export interface IdentityGate {
  /** The post, or undefined when there is none (ephemeral posts are never stored). */
  post(postId: string): Promise<MmPost | undefined>;
  isMember(channelId: string, userId: string): Promise<boolean>;
  /** The user as Mattermost knows them (cached, else the API), or undefined; never writes the cache. */
  lookup(userId: string): Promise<MmUser | undefined>;
  /** Cache an identity. Called only once a request passed every check, so a refused one leaves no trace. */
  remember(user: MmUser): void;
}

const notFound = (e: unknown) => e instanceof PermanentError && e.code === 'not_found';

export class MattermostIdentity implements IdentityGate {
  private readonly users = new TtlCache<MmUser>();

  constructor(private readonly rest: MattermostRest) {}

  async post(postId: string): Promise<MmPost | undefined> {
    // Mattermost ids are 26 lowercase letters and digits; anything else cannot be a post.
    if (!/^[a-z0-9]{26}$/.test(postId)) return undefined;
    try {
      return await this.rest.request<MmPost>({ method: 'GET', path: `/posts/${postId}` });
    } catch (e) {
      if (notFound(e)) return undefined;
      throw e;
    }
  }

  async isMember(channelId: string, userId: string): Promise<boolean> {
    try {
      await this.rest.request({ method: 'GET', path: `/channels/${encodeURIComponent(channelId)}/members/${encodeURIComponent(userId)}` });
      return true;
    } catch (e) {
      if (notFound(e)) return false;
      throw e;
    }
  }

  async lookup(userId: string): Promise<MmUser | undefined> {
    const cached = this.users.get(userId);
    if (cached) return cached;
    try {
      return await this.rest.request<MmUser>({ method: 'GET', path: `/users/${encodeURIComponent(userId)}` });
    } catch (e) {
      if (notFound(e)) return undefined;
      throw e;
    }
  }

  remember(user: MmUser): void {
    this.users.set(user.id, user);
  }
}

/**
 * Whether a post shows a button with this action id. Mattermost strips every button's
 * integration (URL and context) from posts it returns (model.Post.StripActionIntegrations), so
 * the signed context cannot be compared; the signed message key and the action id can.
 */
export function carriesAction(post: MmPost, actionId: string): boolean {
  const attachments = post.props?.attachments;
  if (!Array.isArray(attachments)) return false;
  return attachments.some((a: unknown) => {
    const actions = (a as { actions?: unknown } | null)?.actions;
    return Array.isArray(actions) && actions.some((x: unknown) => (x as { id?: unknown } | null)?.id === actionId);
  });
}
