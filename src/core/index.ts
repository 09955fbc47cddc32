/** The pure scoring engine: types, defaults, normalisation, scoring, ranking, signals, explanations. */
export * from './types.ts';
export * from './defaults.ts';
export * from './normalise.ts';
export * from './score.ts';
export * from './rank.ts';
export * from './signals.ts';
export * from './explain.ts';
