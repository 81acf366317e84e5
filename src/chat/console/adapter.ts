/**
 * The console adapter: a whole Day2 workspace in a terminal, for trying every family and for
 * demos without a Slack or Mattermost workspace. Lines typed at the prompt are slash commands
 * (`/day2 help`); a plain line is a direct message to the bot; `/day2 as <person>` changes who
 * is typing and `/day2 in <channel>` where; a number presses the button shown with it.
 *
 * Every message the bot sends anywhere in the console workspace is printed when it is sent,
 * rendered by the same templates as on the platforms, under a line that says where it went and
 * for whom: a channel post, a thread reply under its root, an edit (the new revision), a DM to
 * someone, an answer only the typist sees. So one screen shows the whole workspace.
 */
import { randomUUID } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { PermanentError } from '../../errors.js';
import type { OutboundMessage } from '../message.js';
import type { Capabilities, ChatAdapter, Dispatch, DispatchResult, DutyGroupResult, InboundEvent, MessageRef, RenderTarget, UserInfo } from '../port.js';
import { toConsoleText } from '../../render/console.js';
import type { MentionResolver } from '../../render/serialize-options.js';
import { ButtonBoard, type Pressable } from './buttons.js';
import { CONSOLE_CHANNEL, readLine, type ConsoleLine } from './lines.js';
import { ScriptTally } from './tally.js';

export interface ConsoleAdapterOptions {
  input: Readable;
  output: Writable;
  /** Who is typing at first: a person id from the config (their roles apply). */
  userId: string;
  userName?: string;
  channelId?: string;
  mentions: () => MentionResolver;
  zone: () => string;
  /** The configured people, for `/day2 as` (absent: any id is taken as it is). */
  people?: () => readonly { id: string; name: string }[];
  /** Show a prompt; off when input is not a terminal (scripts, tests). */
  interactive?: boolean;
  /** Print each line read, after a prompt naming the typist (scripts: the screen reads as a transcript). */
  echo?: boolean;
  /**
   * Awaited after each line before the next is read: a script waits for the deliveries a line
   * caused, so its transcript reads in cause-and-effect order.
   */
  afterLine?: () => Promise<void>;
  /** Called when the input ends (Ctrl-D, end of a script); main uses it to shut down. */
  onClose?: () => void;
}

interface Posted {
  channelId: string;
  message: OutboundMessage;
  threadId?: string;
  revision: number;
}

export class ConsoleAdapter implements ChatAdapter {
  readonly platform = 'console' as const;
  readonly capabilities: Capabilities = { threads: true, forms: false, ephemeral: true, dateTokens: false, buttons: true, maxTextLength: 100_000, dutyGroup: 'none' };
  /** Lines read, answered and failed, for a script's summary. */
  readonly tally = new ScriptTally();
  private rl: Interface | undefined;
  private readonly posted = new Map<string, Posted>();
  private readonly buttons = new ButtonBoard();
  private seq = 0;
  private pending = Promise.resolve();
  private user: string;
  private channel: string;
  /** A typed line is being answered: its output ends with a fresh prompt, so blocks do not redraw it. */
  private busy = false;

  constructor(private readonly opts: ConsoleAdapterOptions) {
    this.user = opts.userId;
    this.channel = opts.channelId ?? 'console';
  }

  async start(dispatch: Dispatch): Promise<void> {
    const rl = createInterface({ input: this.opts.input, output: this.opts.interactive ? this.opts.output : undefined, terminal: this.opts.interactive ?? false });
    this.rl = rl;
    rl.setPrompt(this.prompt());
    if (this.opts.interactive) {
      this.write(`Day2 console: you are ${this.nameOf(this.user)} (${this.user}) in #${this.channel}. /day2 help lists commands; /day2 as <person> changes who you are; type a button's number to press it; Ctrl-D quits.`);
      rl.prompt();
    }
    rl.on('line', (line) => {
      // Serialise lines so output appears in the order commands were typed.
      this.pending = this.pending.then(() => (this.busy = true)).then(() => this.handleLine(line, dispatch)).then(() => this.opts.afterLine?.()).then(() => {
        this.busy = false;
        if (this.opts.interactive && this.rl) {
          this.rl.setPrompt(this.prompt());
          this.rl.prompt();
        }
      });
    });
    rl.on('close', () => {
      this.rl = undefined;
      void this.pending.then(() => this.opts.onClose?.());
    });
  }

  /** Resolves when every line read so far has been handled (for scripted use). */
  idle(): Promise<void> {
    return this.pending;
  }

  async stop(): Promise<void> {
    this.rl?.close();
    this.rl = undefined;
  }

  async ping(): Promise<void> {}

  /** Who is typing now (a person id). */
  get typist(): string {
    return this.user;
  }

  private prompt(): string {
    return `${this.user} #${this.channel}> `;
  }

  private async handleLine(raw: string, dispatch: Dispatch): Promise<void> {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    this.tally.line();
    if (this.opts.echo) this.write(`\n${this.prompt()}${line}`);
    const parsed = readLine(line);
    if (parsed.kind === 'as') return this.switchUser(parsed.person);
    if (parsed.kind === 'in') return this.switchChannel(parsed.channel);
    try {
      if (parsed.kind === 'number') {
        // A questionnaire in progress reads a number as its answer ("2" = the second option);
        // anywhere else a number presses the button shown with it.
        const asAnswer = await dispatch(this.eventOf({ kind: 'dm', text: line })!.event);
        if (asAnswer.outcome !== 'invalid') return this.show(asAnswer, undefined);
      }
      const event = this.eventOf(parsed);
      if (!event) return;
      const result = await dispatch(event.event);
      this.show(result, event.pressed);
    } catch {
      // The dispatcher turns handler failures into replies; reaching here is a bug in Day2 itself.
      this.tally.error();
      this.write('Something went wrong handling that line; see the log.');
    }
  }

  /** The event a line makes, or undefined when the console answered it itself (a bad number). */
  private eventOf(parsed: Exclude<ConsoleLine, { kind: 'as' | 'in' }>): { event: InboundEvent; pressed?: Pressable } | undefined {
    const base = {
      eventId: randomUUID(),
      platform: 'console' as const,
      user: { platform: 'console' as const, id: this.user, name: this.user },
      channel: { platform: 'console' as const, id: this.channel, name: this.channel },
      triggerId: randomUUID(),
    };
    if (parsed.kind === 'number') {
      const pressed = this.buttons.press(parsed.n);
      if (!pressed) {
        const shown = this.buttons.last;
        this.refuse(shown === 0 ? `There is no button ${parsed.n}: no buttons have been shown yet.` : `There is no button ${parsed.n}: buttons shown so far are numbered 1 to ${shown}.`);
        return undefined;
      }
      return { event: { ...base, kind: 'button', actionId: pressed.actionId, value: pressed.value }, pressed };
    }
    if (parsed.kind === 'click') return { event: { ...base, kind: 'button', actionId: parsed.actionId, value: parsed.value } };
    if (parsed.kind === 'command') return { event: { ...base, kind: 'command', command: parsed.command, text: parsed.text } };
    return { event: { ...base, kind: 'dm', text: parsed.text } };
  }

  private show(result: DispatchResult, pressed: Pressable | undefined): void {
    if (result.outcome === 'invalid' || result.outcome === 'error') this.tally.error();
    else this.tally.answered(result.outcome === 'forbidden');
    if (result.reply) this.print(`only ${this.nameOf(this.user)} sees this, in #${this.channel}`, result.reply);
    if (result.updateMessage) {
      const earlier = pressed?.messageId ? this.posted.get(pressed.messageId) : undefined;
      if (pressed?.messageId && earlier) {
        earlier.message = result.updateMessage;
        earlier.revision += 1;
        this.print(`${this.placeOf(earlier.channelId)} · [${pressed.messageId}] edited by the button, now revision ${earlier.revision}`, result.updateMessage, undefined, pressed.messageId);
      } else {
        this.print(`only ${this.nameOf(this.user)} sees this: the answer with that button now reads`, result.updateMessage);
      }
    }
    if (result.formErrors) for (const [field, msg] of Object.entries(result.formErrors)) this.write(`  ✖ ${field}: ${msg}`);
  }

  private switchUser(person: string | undefined): void {
    const people = this.opts.people?.() ?? [];
    const list = people.map((p) => `${p.id} (${p.name})`).join(', ');
    if (!person) {
      this.tally.answered();
      this.write(`You are ${this.nameOf(this.user)} (${this.user}). People you can be: ${list || 'any person id'}. /day2 as <person> switches.`);
      return;
    }
    if (people.length > 0 && !people.some((p) => p.id === person)) {
      this.refuse(`There is no person "${person}" in the config. /day2 as (without a name) lists the people you can be; they are the ids under people: in the config file.`);
      return;
    }
    this.user = person;
    this.tally.answered();
    this.write(`You are now ${this.nameOf(person)} (${person}): their roles apply and their DMs are theirs.`);
  }

  private switchChannel(channel: string | undefined): void {
    if (!channel || !CONSOLE_CHANNEL.test(channel)) {
      this.refuse(`Usage: /day2 in <channel>: a console channel name such as prod-east-notices (lowercase letters, digits, "-" and "_"). You are in #${this.channel}.`);
      return;
    }
    this.channel = channel;
    this.tally.answered();
    this.write(`You are now typing in #${channel}: /notice subscribe and "here" mean this channel.`);
  }

  private refuse(text: string): void {
    this.tally.error();
    this.write(`⚠️ ${text}`);
  }

  private nameOf(userId: string): string {
    return this.opts.mentions()(`person:${userId}`)?.name ?? userId;
  }

  /** `#channel`, or "DM with <name>" for a DM channel. */
  private placeOf(channelId: string): string {
    return channelId.startsWith('dm-') ? `DM to ${this.nameOf(channelId.slice(3))}` : `#${channelId}`;
  }

  private render(message: OutboundMessage, target?: RenderTarget): string {
    return toConsoleText({ ...message, buttons: undefined }, { mentions: this.opts.mentions(), zone: message.zone ?? target?.readerZone ?? this.opts.zone() });
  }

  /** Print `message` under a line saying where it went; its buttons get numbers. */
  private print(where: string, message: OutboundMessage, target?: RenderTarget, messageId?: string): void {
    const channelId = messageId ? this.posted.get(messageId)?.channelId : undefined;
    const buttons = this.buttons.show(message, { messageId, channelId });
    this.write(`── ${where}\n${this.render(message, target)}${buttons ? `\n\n${buttons}` : ''}`);
  }

  /** Write a block; a prompt the typist is looking at is redrawn under it. */
  private write(text: string): void {
    const out = this.opts.output;
    if (this.opts.interactive && this.rl && !this.busy) {
      // A message arriving while the typist looks at the prompt: print above it, then redraw it.
      out.write(`\r\x1b[K${text}\n`);
      this.rl.setPrompt(this.prompt());
      this.rl.prompt(true);
      return;
    }
    out.write(`${text}\n`);
  }

  private nextId(): string {
    this.seq += 1;
    return `m${this.seq}`;
  }

  async post(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    const messageId = this.nextId();
    this.posted.set(messageId, { channelId, message, revision: 1 });
    this.print(`${this.placeOf(channelId)} · new post [${messageId}]`, message, undefined, messageId);
    return { platform: 'console', channelId, messageId };
  }

  async reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    const messageId = this.nextId();
    // A reply to a reply goes in the same thread, under its root.
    const rootId = thread.threadId ?? thread.messageId;
    const root = this.posted.get(rootId);
    this.posted.set(messageId, { channelId: thread.channelId, message, threadId: rootId, revision: 1 });
    const about = root ? ` "${root.message.summary.slice(0, 60)}"` : '';
    this.print(`${this.placeOf(thread.channelId)} · reply [${messageId}] in the thread of [${rootId}]${about}`, message, undefined, messageId);
    return { platform: 'console', channelId: thread.channelId, messageId, threadId: rootId };
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    const existing = this.posted.get(ref.messageId);
    if (existing) {
      existing.message = message;
      existing.revision += 1;
      this.print(`${this.placeOf(ref.channelId)} · [${ref.messageId}] edited, now revision ${existing.revision}`, message, undefined, ref.messageId);
      return;
    }
    // A message from an earlier console session: not on this screen, so show the edit alone.
    this.posted.set(ref.messageId, { channelId: ref.channelId, message, revision: 2 });
    this.print(`${this.placeOf(ref.channelId)} · [${ref.messageId}] (posted before this session) edited`, message, undefined, ref.messageId);
  }

  async ephemeral(channelId: string, userId: string, message: OutboundMessage, target?: RenderTarget): Promise<void> {
    this.print(`only ${this.nameOf(userId)} sees this, in ${this.placeOf(channelId)}`, message, target);
  }

  async dmChannelOf(userId: string): Promise<string> {
    return `dm-${userId}`;
  }

  async dm(userId: string, message: OutboundMessage, target?: RenderTarget): Promise<MessageRef> {
    const channelId = await this.dmChannelOf(userId);
    const messageId = this.nextId();
    this.posted.set(messageId, { channelId, message, revision: 1 });
    this.print(`DM to ${this.nameOf(userId)} (${userId}) [${messageId}]`, message, target, messageId);
    return { platform: 'console', channelId, messageId };
  }

  async openForm(): Promise<void> {
    throw new PermanentError('permanent', 'the console cannot show forms; use the step-by-step conversation instead');
  }

  async getUser(userId: string): Promise<UserInfo> {
    return { platform: 'console', id: userId, name: this.nameOf(userId) };
  }

  /** The console speaks as configured people: a person id is its user id. */
  async userIdOf(handle: string): Promise<string | undefined> {
    return handle === '' ? undefined : handle;
  }

  async groupsOf(): Promise<string[]> {
    return [];
  }

  /** A terminal has no groups or headers to keep current (capability `none`); `/oncall who` answers instead. */
  async syncDutyGroup(): Promise<DutyGroupResult> {
    throw new PermanentError('permanent', 'the console cannot show who is on duty as a group; use /oncall who');
  }

  async findPosted(channelId: string, key: string, _sinceMs?: number, threadId?: string): Promise<MessageRef | undefined> {
    for (const [messageId, p] of this.posted) {
      if (p.channelId === channelId && p.message.key === key && (threadId === undefined || p.threadId === threadId)) return { platform: 'console', channelId, messageId, threadId: p.threadId };
    }
    return undefined;
  }
}
