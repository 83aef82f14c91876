/** Shared by the tests of the schema layer and the layers above it (excluded from the build, as every test-support.ts). */
import type { Scales } from './kinds.js';

/** The documented default scales, written out so that a change of default shows up as a failing test. */
export const SCALES: Scales = {
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
  review: { min: 1, max: 5 },
  frustration: { min: 1, max: 5 },
  social: { min: 1, max: 5 },
};
