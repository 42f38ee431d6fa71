import { MemorySessionRepository } from '#libs/session';
import { sessionEventsContract } from './session-events.contract.js';
import { sessionRepositoryContract } from './session-repository.contract.js';

sessionRepositoryContract(
  'memory',
  async () => new MemorySessionRepository(),
  (repo) => repo.close(),
);

sessionEventsContract(
  'memory',
  async () => new MemorySessionRepository(),
  (repo) => repo.close(),
);
