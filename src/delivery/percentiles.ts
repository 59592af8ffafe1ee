/** Moved to src/shared (incidents use the same percentiles); kept so delivery's imports stay as they are. */
export * from '../shared/percentiles.js';
