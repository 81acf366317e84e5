/**
 * `/onboard` (also `/day2 onboard`): a developer asks for onboarding by answering the intake
 * questionnaire (a form where the platform has them, a DM conversation otherwise or with
 * --chat); onboarding engineers (ObE role) claim, meet, run and close the request.
 *
 * The declarations live by concern next to this file: questionnaire.ts (the requester's
 * commands, buttons and page form; the flow is in intake.ts), requests.ts (status, list,
 * export, note), engineer.ts (the ObE commands) and card.ts (the request card's buttons and the
 * Ask form); moves.ts and shared.ts hold what they share. The order below is the order of the
 * help output.
 */
import { defineFamily } from '../../src/dispatch/define.js';
import { cardButtons, cardForms } from './card.js';
import { engineerCommands } from './engineer.js';
import { questionnaireButtons, questionnaireCommands, questionnaireForms } from './questionnaire.js';
import { requestCommands } from './requests.js';

export const onboardFamily = defineFamily({
  name: 'onboard',
  aliases: ['/onboard'],
  summary: 'Onboarding intake: request onboarding with a questionnaire; onboarding engineers claim and run it',
  commands: [...questionnaireCommands, ...requestCommands, ...engineerCommands],
  buttons: [...cardButtons, ...questionnaireButtons],
  forms: [...questionnaireForms, ...cardForms],
});
