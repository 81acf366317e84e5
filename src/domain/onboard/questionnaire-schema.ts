/**
 * The schema of an intake questionnaire: the shipped default and a config
 * `onboarding.questionnaire` are both checked against it.
 */
import { z } from 'zod';

export const QUESTION_TYPES = ['text', 'textarea', 'url', 'integer', 'select', 'multiselect', 'boolean', 'date'] as const;

const questionId = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, { error: 'question ids are lowercase letters, digits and "_", starting with a letter (at most 40)' });

const option = z.strictObject({ value: z.string().min(1).max(75), label: z.string().min(1).max(75) });

const condition = z
  .strictObject({
    /** The question this one depends on (asked earlier in the questionnaire). */
    question: questionId,
    /** Asked when that answer equals this (a yes/no answer compares with true/false). */
    equals: z.union([z.string(), z.boolean()]).optional(),
    /** Asked when that multi-select answer includes this option. */
    includes: z.string().optional(),
  })
  .refine((c) => (c.equals === undefined) !== (c.includes === undefined), { error: 'give exactly one of "equals" or "includes"' });

export const questionSchema = z.strictObject({
  id: questionId,
  label: z.string().min(1).max(150),
  type: z.enum(QUESTION_TYPES),
  required: z.boolean().default(true),
  help: z.string().max(150).optional(),
  placeholder: z.string().max(150).optional(),
  /** Longest accepted answer for text types (characters). */
  maxLength: z.int().min(1).max(3000).optional(),
  /** Bounds for integers. */
  min: z.int().optional(),
  max: z.int().optional(),
  /** Fixed options for select/multiselect. */
  options: z.array(option).optional(),
  /** Options taken from a config list instead: `environments` or the service catalog (`services`). */
  optionsFrom: z.enum(['environments', 'services']).optional(),
  /** Ask only when an earlier answer matches. */
  when: condition.optional(),
});
export type QuestionConfig = z.infer<typeof questionSchema>;

export const questionnaireSchema = z.strictObject({
  /** Modal/dialog title (platforms allow 24 characters). */
  title: z.string().min(1).max(24),
  introduction: z.string().max(1000).optional(),
  questions: z.array(questionSchema).min(1),
});
export type QuestionnaireConfig = z.infer<typeof questionnaireSchema>;
