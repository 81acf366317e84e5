/**
 * Helpers for writing command families. They return their argument unchanged but keep the
 * argument types flowing into handlers, and `defineFamily` checks the family on import so a
 * broken declaration fails at load (FamilyLoadError), not when someone first runs it.
 */
import type { z } from 'zod';
import { Registry } from './registry.js';
import type { ButtonDecl, CommandDecl, FamilyDecl, FormDecl } from './types.js';

export function defineCommand<S extends z.ZodObject>(decl: CommandDecl<S>): CommandDecl<S> {
  return decl;
}

export function defineButton(decl: ButtonDecl): ButtonDecl {
  return decl;
}

export function defineForm<S extends z.ZodObject>(decl: FormDecl<S>): FormDecl<S> {
  return decl;
}

/** Checks the family on its own (throws FamilyLoadError); cross-family clashes are checked when all are loaded. */
export function defineFamily(decl: FamilyDecl): FamilyDecl {
  new Registry([decl]);
  return decl;
}
