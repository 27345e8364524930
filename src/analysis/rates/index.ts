export type * from './types.js';
export { evaluateCell, falseKills } from './evaluate-cell.js';
export { monteCarloFalseKills, type MonteCarloFalseKills, type MonteCarloOptions } from './monte-carlo.js';
export { detectionLatency, deathTime, detectionHorizon, quantile } from './detection.js';
export { keepaliveCost } from './cost.js';
export { poissonInterval, gammaQuantile } from './poisson-interval.js';
export { applySetting, closeMechanism, healthyScenario, replicaSeed, warmUp } from './scenario-setting.js';
