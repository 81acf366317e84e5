/**
 * `day2 check-config [file]`: validate a config file without starting anything, listing every
 * problem. Exit 0 when valid, 1 otherwise, so teams can lint their config in their own CI.
 */
import { formatProblems, loadConfig } from '../config.js';
import { rotationOverlapWarnings } from '../domain/oncall/overlap-warnings.js';
import { count } from '../domain/wording.js';

export async function checkConfig(file: string, out: (line: string) => void = console.log): Promise<number> {
  const result = await loadConfig(file);
  if (result.ok) {
    const c = result.config;
    out(`✔ ${file} is valid: ${c.people.length} people, ${c.teams.length} teams, ${c.environments.length} environments, default zone ${c.timezone}`);
    // Warnings do not fail the check: precedence resolves overlapping layers, but it is worth a look.
    for (const w of rotationOverlapWarnings(c.rotations, c.timezone, new Date())) out(`⚠ ${w}`);
    return 0;
  }
  out(`✖ ${file} has ${count(result.problems.length, 'problem')}:`);
  out(formatProblems(result.problems));
  return 1;
}
