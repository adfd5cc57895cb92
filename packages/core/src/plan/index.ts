/** The plan layer's public surface (re-exported by the package index). */
export { plan, type PlanOptions } from './plan.js';
export type { Plan, PlanNote, PlanTotals, WorkerPlan, LoadSharePlan, ClosedLoadPlan, OpenLoadPlan, DataPlan, HooksPlan } from './worker-plan.js';
export { parseSegment, formatSegment, isWholeSegment, parseSequence, formatSequence, WHOLE_SEGMENT, type Segment, type SegmentSequence } from './segment.js';
export type { Fraction } from './fraction.js';
export type { Stripe } from './stripe.js';
export type { UserStep } from './stages.js';
export type { ProgramPlan, FlowPlan, StepPlan } from './program.js';
export { seededRandom } from './random.js';
