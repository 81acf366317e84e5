/**
 * The shipped intake questionnaire: what a platform team needs to know before the onboarding
 * meeting. A config `onboarding.questionnaire` replaces it whole.
 */
import type { QuestionnaireConfig } from './questionnaire-schema.js';

export const DEFAULT_QUESTIONNAIRE: QuestionnaireConfig = {
  title: 'Platform onboarding',
  introduction: 'Tell the platform team about your capability. Your answers go to an onboarding engineer before the onboarding meeting.',
  questions: [
    { id: 'capability', label: 'Capability name', type: 'text', required: true, maxLength: 100, help: 'A short name, e.g. "Payments API"' },
    { id: 'description', label: 'What does it do?', type: 'textarea', required: true, maxLength: 3000 },
    { id: 'team', label: 'Team', type: 'text', required: true, maxLength: 100 },
    { id: 'contacts', label: 'Contacts', type: 'text', required: true, maxLength: 150, help: 'Names or handles of the people to talk to' },
    { id: 'repository', label: 'Source repository URL', type: 'url', required: true },
    { id: 'environments', label: 'Target environments', type: 'multiselect', required: true, optionsFrom: 'environments' },
    { id: 'services', label: 'Platform services needed', type: 'multiselect', required: false, optionsFrom: 'services' },
    { id: 'users', label: 'Projected users', type: 'integer', required: true, min: 0, max: 100_000_000, help: 'Expected users in the first year' },
    {
      id: 'data_volume',
      label: 'Data volume',
      type: 'select',
      required: true,
      options: [
        { value: 'lt10g', label: 'Under 10 GB' },
        { value: '10g-100g', label: '10–100 GB' },
        { value: '100g-1t', label: '100 GB – 1 TB' },
        { value: 'gt1t', label: 'Over 1 TB' },
      ],
    },
    {
      id: 'ia_maturity',
      label: 'Security / IA maturity',
      type: 'select',
      required: true,
      help: 'Where your information-assurance work stands today',
      options: [
        { value: 'none', label: 'Not started' },
        { value: 'planning', label: 'Planned, not documented' },
        { value: 'documented', label: 'Documented controls' },
        { value: 'assessed', label: 'Assessed / authorised' },
      ],
    },
    { id: 'custom_buildpacks', label: 'Custom buildpacks?', type: 'boolean', required: true },
    { id: 'buildpacks', label: 'Which custom buildpacks?', type: 'textarea', required: true, maxLength: 1000, when: { question: 'custom_buildpacks', equals: true } },
    { id: 'integrations', label: 'Third-party integrations', type: 'textarea', required: false, maxLength: 2000, help: 'Non-platform systems you connect to' },
    { id: 'go_live', label: 'Desired go-live date', type: 'date', required: true },
  ],
};
