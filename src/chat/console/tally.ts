/**
 * What a scripted console session did: lines read, lines answered, lines that failed (an unknown
 * command, bad arguments, a button that does not exist). A refusal by role is an answer: the
 * script did what it said, and Day2 said no.
 */
import { count } from '../../domain/wording.js';
export class ScriptTally {
  lines = 0;
  answers = 0;
  errors = 0;
  /** Answers that were refusals by role (counted in `answers` too). */
  refusals = 0;

  line(): void {
    this.lines += 1;
  }

  answered(refused = false): void {
    this.answers += 1;
    if (refused) this.refusals += 1;
  }

  error(): void {
    this.errors += 1;
  }

  /** The one summary line printed when a script ends. */
  summary(): string {
    const s = count;
    return `Script done: ${s(this.lines, 'line')}, ${this.answers} answered, ${s(this.errors, 'error')}.`;
  }

  get exitCode(): number {
    return this.errors > 0 ? 1 : 0;
  }
}
