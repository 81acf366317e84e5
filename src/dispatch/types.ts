/**
 * Command declarations. A command family (commands/<family>.ts) is data: one declaration per
 * subcommand, button and form, each with its arguments, the role it needs and its handler.
 * The framework parses, validates, authorizes, runs, audits and generates help from these;
 * families never build any of it themselves.
 */
import type { z } from 'zod';
import type { FormSpec } from '../chat/message.js';
import type { DispatchResult, InboundEvent, UserRef } from '../chat/port.js';
import type { Person, Role } from '../config.js';
import type { Logger } from '../log.js';
import type { Renderer } from '../render/renderer.js';
import type { Services } from './services.js';

/** Who may run something: everyone, one role, or any of several roles. There is no default. */
export type RoleRequirement = 'anyone' | Role | readonly Role[];

/** What a handler answers. `reply` is ephemeral to the caller. */
export interface CommandResult extends DispatchResult {
  /**
   * Set to false when a `mutates: true` handler decided to change nothing (a refused reload, a
   * no-op): no audit entry is written. Defaults to true.
   */
  changed?: boolean;
}

export interface Caller {
  user: UserRef;
  /** The configured person behind the platform user, when there is one. */
  person?: Person;
  roles: Set<Role>;
  /** IANA zone to show times in for this caller. */
  zone: string;
}

/** Read-only view of the loaded families, for generated help. */
export interface Catalog {
  /** The root slash command, normally `/day2`. */
  readonly root: string;
  readonly families: readonly FamilyDecl[];
  family(name: string): FamilyDecl | undefined;
  /** Full usage line: `/day2 oncall who [env]` (`/day2 whoami` for root-mounted families). */
  usageOf(family: FamilyDecl, command: CommandDecl): string;
}

export interface CommandContext {
  event: InboundEvent;
  caller: Caller;
  services: Services;
  /** The dispatcher's clock; use it instead of `new Date()` so tests can pin time. */
  now(): Date;
  /** Child logger tagged with the event id, family and command. */
  log: Logger;
  render: Renderer['render'];
  /** An ephemeral answer rendered from a template. */
  reply(template: string, data?: Record<string, unknown>): CommandResult;
  /** Replace the message the clicked button was on (buttons only). */
  update(template: string, data?: Record<string, unknown>): CommandResult;
  /** A one-line ephemeral confirmation (`system/ok`). */
  ok(text: string): CommandResult;
  /** A one-line ephemeral note that is not a success (nothing to do, already done): `system/info`. */
  info(text: string): CommandResult;
  /** Open a form in answer to this event (needs the event's trigger id; do it before slow work). */
  openForm(form: FormSpec): Promise<void>;
  /** Whether the caller meets a role requirement (e.g. to offer only the buttons they may press). */
  may(role: RoleRequirement): boolean;
  catalog: Catalog;
}

export interface CommandDecl<S extends z.ZodObject = z.ZodObject> {
  /** Subcommand name: lowercase letters, digits and `-`. */
  name: string;
  /** One line for the help overview. */
  summary: string;
  /** Arguments after the command name, starting with the name: `who [env] [at=<when>]`. */
  usage: string;
  /** Complete command lines as a user types them (`/oncall who prod`); each is checked at load. */
  examples: string[];
  /** Argument schemas, built from `arg.*` (src/dispatch/args.ts) or plain zod on strings. */
  args: S;
  /**
   * Arguments that may be given by position, in order. Every argument can also be given as
   * `name=value`. The last one may take the rest of the line when its schema is `arg.rest()`.
   */
  positional: readonly (keyof z.infer<S> & string)[];
  role: RoleRequirement;
  /** True when a successful run changes state: it is then written to the audit log. */
  mutates: boolean;
  handler(ctx: CommandContext, args: z.infer<S>): Promise<CommandResult>;
}

export interface ButtonDecl {
  /** Routing key; letters and digits only (Mattermost routes clicks on `[A-Za-z0-9]+`). */
  actionId: string;
  role: RoleRequirement;
  mutates: boolean;
  /** `value` is the button's opaque payload (see Button.value). */
  handler(ctx: CommandContext, value: string): Promise<CommandResult>;
}

export interface FormDecl<S extends z.ZodObject = z.ZodObject> {
  formId: string;
  role: RoleRequirement;
  mutates: boolean;
  /**
   * Validates the submitted values (strings, or string arrays for multiselects); a failing field
   * is shown next to that field and nothing runs. `arg.*` schemas work here too.
   */
  schema: S;
  /** May return `formErrors` to keep the form open with messages. */
  handler(ctx: CommandContext, values: z.infer<S>, state: string): Promise<CommandResult>;
  /**
   * The user closed or cancelled the form instead of submitting it. `values` are unvalidated:
   * whatever the platform sent along (Slack: the fields as they stood; Mattermost: none), for
   * the handler to keep what is valid. Runs under the same `role` and `mutates` as a submission.
   * Without it a closed form is ignored.
   */
  onClose?(ctx: CommandContext, values: Record<string, string | string[]>, state: string): Promise<CommandResult>;
}

export interface FamilyDecl {
  /** `/day2 <name> …`; lowercase letters, digits and `-`. */
  name: string;
  /** Slash commands that go straight to this family: `['/oncall']` makes `/oncall who` = `/day2 oncall who`. */
  aliases: string[];
  summary: string;
  /** Mount the commands at the root too: `/day2 whoami` as well as `/day2 system whoami`. */
  root?: boolean;
  /**
   * The command that takes the line when no subcommand matches: with `'ask'`, `/support my build
   * is broken` runs `/support ask my build is broken`. Unknown words then never reach did-you-mean,
   * so use it only for families whose natural form is free text.
   */
  defaultCommand?: string;
  commands: CommandDecl<any>[];
  buttons?: ButtonDecl[];
  forms?: FormDecl<any>[];
}
