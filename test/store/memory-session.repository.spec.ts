import { MemorySessionRepository } from '#libs/session';
import { sessionRepositoryContract } from './session-repository.contract.js';

sessionRepositoryContract(
  'memory',
  async () => new MemorySessionRepository(),
  (repo) => repo.close(),
);
