/**
 * The `rrule` package, imported so it works both under plain `node` and under vitest/tsc.
 * rrule 2.8.1 ships CommonJS as `main` and ESM only as `module` (no `exports` map), so Node's ESM
 * loader sees a CJS module whose named exports are not detected: a named import crashes at run
 * time while type-checking fine. The namespace import gives the exports under either shape.
 */
import * as rruleNamespace from 'rrule';

type RRuleModule = typeof rruleNamespace;

const ns = rruleNamespace as RRuleModule & { default?: RRuleModule };
const mod: RRuleModule = ns.RRule ? ns : (ns.default as RRuleModule);

export const RRule = mod.RRule;
export const Frequency = mod.Frequency;
export type RRuleOptions = rruleNamespace.Options;
export type RRuleInstance = rruleNamespace.RRule;
