/**
 * The `onboarding:` config section: the intake questionnaire (declared once, rendered as a Slack
 * modal, a Mattermost dialog and a DM conversation), the intake channels, the platform service
 * catalog, the SLA for unclaimed requests, meeting reminders and the welcome pack.
 *
 * Structural checks live in the zod schema; cross-references (duplicate question ids, conditions
 * on unknown questions, selects without options, unknown environments or people) are checked by
 * `checkOnboarding`, called once from the config's superRefine, so every problem is listed at once.
 */
import { z } from 'zod';
import { isValidZone } from '../../time/zone.js';
import { DEFAULT_QUESTIONNAIRE } from './default-questionnaire.js';
import { questionnaireSchema, type QuestionnaireConfig } from './questionnaire-schema.js';
import { consoleChannels } from '../channels.js';

export { QUESTION_TYPES, questionSchema, questionnaireSchema, type QuestionConfig, type QuestionnaireConfig } from './questionnaire-schema.js';

const listId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be lowercase letters, digits and "-"' });

const service = z.strictObject({
  id: listId,
  name: z.string().min(1).max(75),
  description: z.string().max(500).optional(),
  /** Environments that offer it; absent = all. */
  environments: z.array(listId).optional(),
});

const perEnvironmentText = z.record(listId, z.string().min(1).max(2000));

export const onboardingConfig = z.strictObject({
  /** Replaces the shipped questionnaire (see src/domain/onboard/default-questionnaire.ts). */
  questionnaire: questionnaireSchema.optional(),
  /** Channels that get the card of each new request (ObEs work from there). */
  intake: z.strictObject({ slack: z.array(z.string().regex(/^[CG][A-Z0-9]{2,}$/)).default([]), mattermost: z.array(z.string().regex(/^[a-z0-9]{26}$/)).default([]), console: consoleChannels }).prefault({}),
  /** The platform service catalog: options for `optionsFrom: services`, and the welcome pack. */
  services: z.array(service).default([]),
  sla: z
    .strictObject({
      /** Business days a request may stay unclaimed before it is re-posted and escalated. */
      unclaimedBusinessDays: z.number().min(0.125).max(30).default(1),
      /** Working days (1 = Monday … 7 = Sunday) in the platform team's zone. */
      workdays: z.array(z.int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
      /** Zone of the platform team; default: the config's `timezone`. */
      zone: z.string().refine(isValidZone, { error: (iss) => `"${String(iss.input)}" is not an IANA time zone (e.g. "Europe/Berlin")` }).optional(),
      /** People escalated to; default: every team manager. */
      escalateTo: z.array(listId).default([]),
    })
    .prefault({}),
  /** Minutes before the onboarding meeting when both sides get a reminder. */
  meetingReminders: z.array(z.int().min(1).max(43_200)).max(5).default([1440, 15]),
  /** Days a half-answered questionnaire is kept for `/onboard resume`. */
  draftDays: z.int().min(1).max(365).default(30),
  welcome: z
    .strictObject({
      intro: z.string().max(2000).default('Welcome to the platform. Here is how it works.'),
      /** How to request a new platform capability, and its lead time. */
      newCapability: z.string().max(2000).default('Ask in the intake channel with /onboard start; new platform capabilities take about 4 weeks.'),
      /** What the platform expects of a team. */
      expectations: z
        .array(z.string().min(1).max(500))
        .default([
          'An automated test harness that runs in the pipeline',
          'Information-assurance documentation kept current',
          'Requests made within the published lead times',
          'Custom buildpacks declared and maintained by the team',
        ]),
      /** Roadmap per environment id. */
      roadmap: perEnvironmentText.default({}),
      /** Where to get troubleshooting help and give feedback, per environment id. */
      help: perEnvironmentText.default({}),
    })
    .prefault({}),
});
export type OnboardingConfig = z.infer<typeof onboardingConfig>;

interface ConfigView {
  environments: { id: string }[];
  people: { id: string }[];
  onboarding?: OnboardingConfig;
}

export interface OnboardingProblem {
  path: (string | number)[];
  message: string;
}

/** Every cross-reference problem of the section (empty when fine). */
export function onboardingProblems(cfg: ConfigView): OnboardingProblem[] {
  const ob = cfg.onboarding;
  if (!ob) return [];
  const problems: OnboardingProblem[] = [];
  const envs = new Set(cfg.environments.map((e) => e.id));
  const people = new Set(cfg.people.map((p) => p.id));
  const add = (path: (string | number)[], message: string) => problems.push({ path: ['onboarding', ...path], message });

  if (ob.questionnaire) {
    const at = (i: number, ...rest: (string | number)[]) => ['questionnaire', 'questions', i, ...rest];
    const seen = new Map<string, number>();
    ob.questionnaire.questions.forEach((q, i) => {
      const first = seen.get(q.id);
      if (first !== undefined) add(at(i, 'id'), `duplicate question id "${q.id}" (also question ${first + 1}): ids must be unique`);
      else seen.set(q.id, i);
      const selecting = q.type === 'select' || q.type === 'multiselect';
      if (selecting) {
        const count = q.optionsFrom === 'environments' ? cfg.environments.length : q.optionsFrom === 'services' ? ob.services.length : (q.options?.length ?? 0);
        if (q.options && q.optionsFrom) add(at(i, 'options'), 'give either "options" or "optionsFrom", not both');
        else if (count === 0)
          add(at(i, q.optionsFrom ? 'optionsFrom' : 'options'), q.optionsFrom ? `select "${q.id}" takes its options from ${q.optionsFrom}, and that list is empty` : `select "${q.id}" has no options: add "options" or "optionsFrom"`);
        const values = new Set<string>();
        q.options?.forEach((o, j) => {
          if (values.has(o.value)) add(at(i, 'options', j, 'value'), `duplicate option "${o.value}"`);
          values.add(o.value);
        });
      } else if (q.options || q.optionsFrom) add(at(i, 'options'), `only select and multiselect questions have options ("${q.id}" is ${q.type})`);
      if (q.min !== undefined && q.max !== undefined && q.min > q.max) add(at(i, 'min'), `min ${q.min} is above max ${q.max}`);
      if (q.when) {
        const target = seen.get(q.when.question);
        if (target === undefined || target === i) {
          const later = ob.questionnaire!.questions.some((o) => o.id === q.when!.question);
          add(at(i, 'when', 'question'), later ? `condition on "${q.when.question}", which comes later: a condition may only name an earlier question` : `condition on unknown question "${q.when.question}"`);
        }
      }
    });
  }
  for (const [key, path] of [[ob.welcome.roadmap, 'roadmap'], [ob.welcome.help, 'help']] as const) {
    for (const env of Object.keys(key)) if (!envs.has(env)) add(['welcome', path, env], `unknown environment "${env}": add it under environments: or fix the spelling`);
  }
  ob.services.forEach((s, i) => s.environments?.forEach((e, j) => envs.has(e) || add(['services', i, 'environments', j], `unknown environment "${e}"`)));
  ob.sla.escalateTo.forEach((p, i) => people.has(p) || add(['sla', 'escalateTo', i], `unknown person "${p}": add them under people: or fix the spelling`));
  return problems;
}

/** The questionnaire in force: the configured one, or the shipped default. */
export function questionnaireConfigOf(ob: OnboardingConfig | undefined): QuestionnaireConfig {
  return ob?.questionnaire ?? DEFAULT_QUESTIONNAIRE;
}
