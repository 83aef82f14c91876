/**
 * Statistics the metrics and the drivers analysis rest on: distributions, proportions,
 * NPS, means, multiple comparisons, stratified comparisons, quantiles, log-odds and a
 * seeded random generator. Pure functions and plain accumulators: no I/O, no clock, no
 * console.
 *
 * @module
 */

export type { Comparison, Interval } from './types.js';
export * from './distributions.js';
export * from './proportions.js';
export * from './nps.js';
export * from './means.js';
export * from './multiple.js';
export * from './stratified.js';
export * from './quantiles.js';
export * from './logodds.js';
export * from './random.js';
