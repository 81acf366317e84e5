/**
 * The chat port: the only surface between Day2's core and a chat platform. No Slack or
 * Mattermost type crosses it. Adapters live in src/chat/slack, src/chat/mattermost and
 * src/chat/console and each declares what it can do in `capabilities`.
 */
import type { Platform } from '../domain/platform.js';
import type { FormSpec, OutboundMessage } from './message.js';

export { PLATFORMS, type Platform } from '../domain/platform.js';

/** A user as the platform knows them. `id` is the platform's id (Slack `U123`, Mattermost user id). */
export interface UserRef {
  platform: Platform;
  id: string;
  /** Handle (Slack username / Mattermost username), when the platform sent it. */
  name?: string;
}

export interface ChannelRef {
  platform: Platform;
  id: string;
  name?: string;
  /** Slack team id / Mattermost team id. */
  teamId?: string;
}

/** Where a posted message lives, so it can be updated or replied to. */
export interface MessageRef {
  platform: Platform;
  channelId: string;
  /** Slack `ts`, Mattermost post id. */
  messageId: string;
  /** Root of the thread this message belongs to, if it is a reply. */
  threadId?: string;
}

interface InboundBase {
  /**
   * Unique per delivery attempt of the *same* user action: a platform retry carries the same id,
   * so the dispatcher can refuse to run it twice (Slack `event_id` / `trigger_id`, Mattermost
   * `trigger_id` or post id).
   */
  eventId: string;
  platform: Platform;
  user: UserRef;
  channel: ChannelRef;
  /** Short-lived id for opening a form in response (Slack ~3 s, Mattermost ~30 s). */
  triggerId?: string;
  /** When the platform says this is a redelivery (Slack `X-Slack-Retry-Num`). */
  retryNum?: number;
}

export interface CommandEvent extends InboundBase {
  kind: 'command';
  /** The slash command as typed, without arguments: `/day2`, `/oncall`. */
  command: string;
  /** Everything after the command. */
  text: string;
}

export interface ButtonEvent extends InboundBase {
  kind: 'button';
  actionId: string;
  value: string;
  /** The message the button was on, when known. */
  message?: MessageRef;
}

export interface FormEvent extends InboundBase {
  kind: 'form';
  formId: string;
  state: string;
  /** Submitted values by field name; multiselects give arrays; empty optional fields are absent. */
  values: Record<string, string | string[]>;
  /**
   * Set when the user closed or cancelled the form instead of submitting it (Slack `view_closed`,
   * a cancelled Mattermost dialog). `values` then hold whatever the platform sent along: Slack
   * sends the fields as they stood, Mattermost sends none. A closed form is never validated as a
   * submission; it goes to the form's `onClose` handler, if it declares one.
   */
  closed?: boolean;
}

/** A direct message to the bot (conversational flows). */
export interface DirectMessageEvent extends InboundBase {
  kind: 'dm';
  text: string;
}

export type InboundEvent = CommandEvent | ButtonEvent | FormEvent | DirectMessageEvent;

/**
 * What the core answers to an inbound event. Adapters send `reply` as the acknowledgement when it
 * is ready in time, otherwise as an ephemeral message afterwards.
 */
export interface DispatchResult {
  /** Ephemeral answer to the caller (commands, buttons); absent means "nothing to say". */
  reply?: OutboundMessage;
  /** Replace the message the button was on (buttons only). */
  updateMessage?: OutboundMessage;
  /** Per-field validation errors for a form submission: the form stays open and shows them. */
  formErrors?: Record<string, string>;
  /**
   * How the dispatcher ended: `ok` ran, `forbidden` refused by role, `invalid` bad input or an
   * unknown command, `error` failed, `duplicate` a redelivery. Adapters may ignore it; the console
   * counts a script's errors with it.
   */
  outcome?: 'ok' | 'invalid' | 'forbidden' | 'error' | 'duplicate';
}

export type Dispatch = (event: InboundEvent) => Promise<DispatchResult>;

export interface UserInfo {
  platform: Platform;
  id: string;
  name: string;
  displayName?: string;
  /** IANA zone from the user's profile, when the platform knows it. */
  timeZone?: string;
  isBot?: boolean;
}

export interface Capabilities {
  threads: boolean;
  forms: boolean;
  ephemeral: boolean;
  /** Slack `<!date^…>` tokens that render in each reader's own zone. */
  dateTokens: boolean;
  buttons: boolean;
  /** Maximum characters of a message's main text on this platform. */
  maxTextLength: number;
  /**
   * How the platform shows who is on duty (`syncDutyGroup`): `usergroup` sets the members of a
   * mentionable group (Slack user groups), `channel-header` writes a line into a channel's header
   * (Mattermost, whose free edition gives bots no user groups), `none` cannot show it at all.
   */
  dutyGroup: DutyGroupSupport;
}

export type DutyGroupSupport = 'usergroup' | 'channel-header' | 'none';

/** Who is on duty for a team, as `syncDutyGroup` applies it to one platform. */
export interface DutyGroupSpec {
  /**
   * Where it lives: with `usergroup`, a group id (Slack `S…`) or handle without the `@`; with
   * `channel-header`, the channel id whose header carries the line.
   */
  target: string;
  /** `usergroup` only: create the group under `target` as handle, with this name, when none has it. */
  create?: { name: string };
  /** Platform user ids on duty now (`usergroup`). Empty: nobody is on duty. */
  members: string[];
  /** The on-duty line in words (`channel-header`); its dates are shown in `render.readerZone`. */
  line: OutboundMessage;
  render?: RenderTarget;
}

export interface DutyGroupResult {
  /** False when the platform already showed exactly this (nothing was written). */
  changed: boolean;
}

/** Who/what a message is rendered for; adapters use it to render dates and mentions. */
export interface RenderTarget {
  /** Reader's zone when the message goes to one person (ephemeral, DM). */
  readerZone?: string;
}

export interface ChatAdapter {
  readonly platform: Platform;
  readonly capabilities: Capabilities;
  /** Start receiving events; every inbound event goes to `dispatch`. */
  start(dispatch: Dispatch): Promise<void>;
  /** Stop intake and close connections. Idempotent. */
  stop(): Promise<void>;
  /** Readiness probe: resolves when the platform API answers with our credentials. */
  ping(): Promise<void>;

  post(channelId: string, message: OutboundMessage): Promise<MessageRef>;
  reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef>;
  update(ref: MessageRef, message: OutboundMessage): Promise<void>;
  ephemeral(channelId: string, userId: string, message: OutboundMessage, target?: RenderTarget): Promise<void>;
  dm(userId: string, message: OutboundMessage, target?: RenderTarget): Promise<MessageRef>;
  openForm(triggerId: string, form: FormSpec, context: { channelId?: string; userId: string }): Promise<void>;
  getUser(userId: string): Promise<UserInfo>;
  /** The channel as its members know it ("#payments" on Slack, "Town Square" on Mattermost); undefined when it cannot be read. Cached. */
  channelName?(channelId: string): Promise<string | undefined>;
  /**
   * Groups the user belongs to, as role principals (`slack-group:S123`, `mattermost-team:<id>`),
   * so config can grant a role to a whole Slack user group or Mattermost team. Cached by adapters.
   */
  groupsOf(userId: string): Promise<string[]>;
  /**
   * Find a message this bot already posted in a channel under a delivery key (see
   * OutboundMessage.key), looking back `sinceMs`. Used after an ambiguous failure to decide
   * whether to post again. Resolves undefined when there is none.
   *
   * `threadId` (the root's messageId, as in MessageRef.threadId) looks among that thread's
   * replies: a thread reply may not show in the channel's own history (Slack keeps replies out
   * of conversations.history). Without it only channel-level messages are certain to be found.
   */
  findPosted(channelId: string, key: string, sinceMs: number, threadId?: string): Promise<MessageRef | undefined>;
  /**
   * The channel `dm(userId, …)` posts into, opened if need be (idempotent: Slack
   * conversations.open, Mattermost POST /channels/direct). Lets findPosted look for a DM whose
   * send ended without an answer, before the DM channel was ever learnt from a reply.
   */
  dmChannelOf(userId: string): Promise<string>;
  /**
   * The platform user id behind a handle as the config holds it, so a configured person can be
   * sent a DM: Slack config holds the user id itself; Mattermost config holds the username, looked
   * up (GET /users/username/{username}) and cached; the console speaks as person ids. Resolves
   * undefined when the platform has no such user.
   */
  userIdOf(handle: string): Promise<string | undefined>;
  /**
   * Make the platform show `spec` as who is on duty, replacing what it showed before (see
   * Capabilities.dutyGroup). Idempotent: the same spec twice changes nothing the second time.
   * Fails with a coded error: `not_found` (no such group or channel), `not_in_channel`, `auth`
   * (a missing scope or permission), `rate_limited`, `transient`. An adapter whose capability
   * is `none` rejects every call.
   */
  syncDutyGroup(spec: DutyGroupSpec): Promise<DutyGroupResult>;
}

/** A slash command a platform should offer (registered on Mattermost; declared in Slack's manifest). */
export interface SlashCommandSpec {
  trigger: string;
  description: string;
  /** Autocomplete hint; every Day2 command answers `help` with its subcommands. */
  hint: string;
}
