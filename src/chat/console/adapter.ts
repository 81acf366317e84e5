/**
 * The console adapter: Day2 in a terminal, for trying commands and for demos without a Slack or
 * Mattermost workspace. Lines typed at the prompt are slash commands (`/day2 help`), a plain line
 * is a direct message to the bot, and `/day2 click <actionId> <value>` presses a button. Everything the
 * bot sends is printed, rendered the same way it would be for a chat platform.
 */
import { randomUUID } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { PermanentError } from '../../errors.js';
import type { OutboundMessage } from '../message.js';
import type { Capabilities, ChatAdapter, Dispatch, DutyGroupResult, InboundEvent, MessageRef, RenderTarget, UserInfo } from '../port.js';
import { toConsoleText } from '../../render/console.js';
import type { MentionResolver } from '../../render/serialize-options.js';

export interface ConsoleAdapterOptions {
  input: Readable;
  output: Writable;
  /** Who is typing: a person id from the config (their roles apply). */
  userId: string;
  userName?: string;
  channelId?: string;
  mentions: () => MentionResolver;
  zone: () => string;
  /** Show a prompt and echo; off when input is not a terminal (scripts, tests). */
  interactive?: boolean;
  /** Called when the input ends (Ctrl-D); main uses it to shut down. */
  onClose?: () => void;
}

interface Posted {
  channelId: string;
  message: OutboundMessage;
  threadId?: string;
}

export class ConsoleAdapter implements ChatAdapter {
  readonly platform = 'console' as const;
  readonly capabilities: Capabilities = { threads: true, forms: false, ephemeral: true, dateTokens: false, buttons: true, maxTextLength: 100_000, dutyGroup: 'none' };
  private rl: Interface | undefined;
  private readonly posted = new Map<string, Posted>();
  private seq = 0;
  private pending = Promise.resolve();

  constructor(private readonly opts: ConsoleAdapterOptions) {}

  async start(dispatch: Dispatch): Promise<void> {
    const rl = createInterface({ input: this.opts.input, output: this.opts.interactive ? this.opts.output : undefined, terminal: this.opts.interactive ?? false });
    this.rl = rl;
    rl.setPrompt('day2> ');
    if (this.opts.interactive) {
      this.write(`Day2 console — you are "${this.opts.userId}". Type /day2 help; /day2 click <action> <value> presses a button; Ctrl-D quits.`);
      rl.prompt();
    }
    rl.on('line', (line) => {
      // Serialise lines so output appears in the order commands were typed.
      this.pending = this.pending.then(() => this.handleLine(line, dispatch)).then(() => {
        if (this.opts.interactive && this.rl) this.rl.prompt();
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

  private get channelId(): string {
    return this.opts.channelId ?? 'console';
  }

  private async handleLine(raw: string, dispatch: Dispatch): Promise<void> {
    const line = raw.trim();
    if (!line) return;
    const base = {
      eventId: randomUUID(),
      platform: 'console' as const,
      user: { platform: 'console' as const, id: this.opts.userId, name: this.opts.userName ?? this.opts.userId },
      channel: { platform: 'console' as const, id: this.channelId, name: this.channelId },
      triggerId: randomUUID(),
    };
    let event: InboundEvent;
    // `/day2 click <actionId> <value>` is what src/render/console.ts prints under each button.
    const click = /^\/(?:day2\s+)?click\s+(\S+)\s*(.*)$/.exec(line);
    if (click) {
      event = { ...base, kind: 'button', actionId: click[1]!, value: click[2] ?? '' };
    } else if (line.startsWith('/')) {
      const space = line.search(/\s/);
      event = { ...base, kind: 'command', command: space < 0 ? line : line.slice(0, space), text: space < 0 ? '' : line.slice(space + 1).trim() };
    } else {
      event = { ...base, kind: 'dm', text: line };
    }
    try {
      const result = await dispatch(event);
      if (result.reply) this.print('(only you)', result.reply);
      if (result.updateMessage) this.print('(updated)', result.updateMessage);
      if (result.formErrors) for (const [field, msg] of Object.entries(result.formErrors)) this.write(`  ✖ ${field}: ${msg}`);
    } catch {
      // The dispatcher turns handler failures into replies; reaching here is a bug in Day2 itself.
      this.write('Something went wrong handling that line; see the log.');
    }
  }

  private render(message: OutboundMessage, target?: RenderTarget): string {
    return toConsoleText(message, { mentions: this.opts.mentions(), zone: target?.readerZone ?? this.opts.zone() });
  }

  private print(where: string, message: OutboundMessage, target?: RenderTarget): void {
    this.write(`── ${where}\n${this.render(message, target)}`);
  }

  private write(text: string): void {
    this.opts.output.write(`${text}\n`);
  }

  private nextId(): string {
    this.seq += 1;
    return `m${this.seq}`;
  }

  async post(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    const messageId = this.nextId();
    this.posted.set(messageId, { channelId, message });
    this.print(`#${channelId} [${messageId}]`, message);
    return { platform: 'console', channelId, messageId };
  }

  async reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    const messageId = this.nextId();
    this.posted.set(messageId, { channelId: thread.channelId, message, threadId: thread.messageId });
    this.print(`#${thread.channelId} [${messageId}] in thread ${thread.messageId}`, message);
    return { platform: 'console', channelId: thread.channelId, messageId, threadId: thread.messageId };
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    const existing = this.posted.get(ref.messageId);
    if (!existing) throw new PermanentError('not_found', `message ${ref.messageId} not found`);
    existing.message = message;
    this.print(`#${ref.channelId} [${ref.messageId}] (edited)`, message);
  }

  async ephemeral(_channelId: string, _userId: string, message: OutboundMessage, target?: RenderTarget): Promise<void> {
    this.print('(only you)', message, target);
  }

  async dmChannelOf(userId: string): Promise<string> {
    return `dm-${userId}`;
  }

  async dm(userId: string, message: OutboundMessage, target?: RenderTarget): Promise<MessageRef> {
    const channelId = await this.dmChannelOf(userId);
    const messageId = this.nextId();
    this.posted.set(messageId, { channelId, message });
    this.print(`DM to ${userId} [${messageId}]`, message, target);
    return { platform: 'console', channelId, messageId };
  }

  async openForm(): Promise<void> {
    throw new PermanentError('permanent', 'the console cannot show forms; use the step-by-step conversation instead');
  }

  async getUser(userId: string): Promise<UserInfo> {
    return { platform: 'console', id: userId, name: userId };
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
