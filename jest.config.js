// Jest runs in ESM mode (NestJS 12 is ESM-only; see package.json "test"). ts-jest compiles
// each file on its own (isolatedModules, read from tsconfig.json) with decorator metadata
// for Nest's DI; the type check is `npm run typecheck`.
export const shared = {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    '^#libs/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  setupFilesAfterEnv: ['<rootDir>/test/support/quiet-nest-logger.ts'],
};

// The default project (`source`) is `shared` over every spec; stryker.jest.config.js reuses it.
// Tests of the compiled programs (`*.compiled.spec.ts`) are their own project so that its
// globalSetup, which compiles dist/ when the sources changed, runs only when one of them is
// selected: a targeted run of any other test never waits for a build.
const COMPILED = '<rootDir>/test/**/*.compiled.spec.ts';

export default {
  testTimeout: 20000,
  // A handle leaked by a fault test (a client still reconnecting to a killed node) must not
  // keep the run alive after every test has reported; Jest says so when it forces the exit.
  forceExit: true,
  projects: [
    {
      ...shared,
      displayName: 'source',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
      testPathIgnorePatterns: ['\\.compiled\\.spec\\.ts$'],
    },
    { ...shared, displayName: 'compiled', testMatch: [COMPILED], globalSetup: '<rootDir>/test/support/build-dist.global-setup.mjs' },
  ],
};
