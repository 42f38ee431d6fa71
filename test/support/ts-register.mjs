// `node --import ./test/support/ts-register.mjs apps/session-service/src/main.ts` runs the
// service from its TypeScript sources, without a build (see ts-hooks.mjs).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
