import { declareReasons } from '../kernel/errors/domain-error.js';

/** Reasons raised by redistribution policies and runs. */
export const REDISTRIBUTION_ERRORS = declareReasons('redistribution', {
  POLICY_NOT_FOUND: ['NOT_FOUND', 'No redistribution policy has this id.'],
  RUN_NOT_FOUND: ['NOT_FOUND', 'No redistribution run has this id.'],
  POLICY_NOT_VISIBLE: ['FORBIDDEN', "Only the organisation's members see its redistribution policies and runs."],
  MAY_NOT_RUN: ['FORBIDDEN', 'Only a TREASURER or ADMIN of the organisation executes or reverses a run.'],
  INVALID_POLICY: [
    'VALIDATION_FAILED',
    'The policy document is not well formed, or names accounts or organisations the assembly may not decide on.',
  ],
  INVALID_PERIOD: ['VALIDATION_FAILED', 'A run covers a period that has ended, of at most 367 days.'],
  POLICY_RETIRED: ['CONFLICT', 'The policy was retired by a motion: it no longer runs or changes.'],
  STALE_PREVIEW: [
    'CONFLICT',
    'Something moved since the preview you executed: preview again and execute the numbers you see.',
  ],
  RUN_ALREADY_REVERSED: ['CONFLICT', 'The run has been reversed already.'],
  RUN_TOO_LARGE: ['VALIDATION_FAILED', 'The run would touch more accounts than one run may.'],
});
