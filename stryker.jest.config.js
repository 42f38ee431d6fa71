// The Jest config Stryker runs against each mutant: the specs of the group being mutated
// (MUTATION_GROUP, see stryker.config.mjs), nothing else.
import base, { shared } from './jest.config.js';
import { groups } from './stryker.config.mjs';

const group = groups[process.env.MUTATION_GROUP ?? 'cookie'];

export default {
  ...shared,
  testTimeout: base.testTimeout,
  testMatch: group.specs.map((spec) => `<rootDir>/${spec}`),
};
