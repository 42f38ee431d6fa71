// Mutation testing of the security-critical code: `npm run test:mutation` (scripts/mutation-test.mjs
// runs one group after the other; not run in CI, it takes several minutes). Each group mutates a
// few files and runs only the fast specs that cover them, so a mutant costs one short Jest run.
// MUTATION_GROUP picks the group; the repository specs start their own redis-server.
export const groups = {
  cookie: {
    mutate: ['libs/session/src/cookie/cookie-signature.ts'],
    specs: ['libs/session/src/cookie/cookie-signature.spec.ts'],
  },
  cipher: {
    mutate: ['libs/session/src/crypto/token-cipher.ts'],
    specs: ['libs/session/src/crypto/token-cipher.spec.ts'],
  },
  'service-auth': {
    mutate: ['libs/session/src/rpc/call-admission.ts', 'libs/session/src/auth/service-token.verifier.ts'],
    specs: ['libs/session/src/rpc/call-admission.spec.ts', 'libs/session/src/auth/service-token.verifier.spec.ts'],
  },
  'basket-rules': {
    mutate: ['libs/cart/src/*.ts', 'libs/wishlist/src/*.ts', '!**/*.spec.ts', '!**/index.ts'],
    specs: ['libs/cart/src/*.spec.ts', 'libs/wishlist/src/*.spec.ts'],
  },
  'redis-repositories': {
    mutate: [
      'libs/session/src/store/redis/redis-session.repository.ts',
      'libs/session/src/store/redis/redis-user-sessions.ts',
      'libs/session/src/store/redis/session-wire.ts',
      'libs/session/src/store/redis/redis-basket.repository.ts',
    ],
    specs: ['test/store/redis-session.repository.spec.ts', 'test/store/redis-basket.repository.spec.ts'],
  },
};

const name = process.env.MUTATION_GROUP ?? 'cookie';
const group = groups[name];
if (!group) throw new Error(`MUTATION_GROUP must be one of ${Object.keys(groups).join(', ')}`);

export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // Jest runs in ESM mode, as `npm test` does.
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: { projectType: 'custom', configFile: 'stryker.jest.config.js', enableFindRelatedTests: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: group.mutate,
  coverageAnalysis: 'perTest',
  // Static mutants (module-level code) would each need every spec re-run with fresh modules;
  // they are left out of the score and listed as ignored in the reports.
  ignoreStatic: true,
  // Two cores shared with other work.
  concurrency: 2,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  clearTextReporter: { reportMutants: true, reportTests: false },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  // A rerun re-tests only the mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  // One temporary directory per group, so two groups can run side by side.
  tempDirName: `.stryker-tmp/${name}`,
  cleanTempDir: true,
  ignorePatterns: ['dist', 'coverage', 'reports', 'docs', '.ci', '*.log'],
};
