import { MemoryBasketRepository } from '#libs/session';
import { basketRepositoryContract } from './basket-repository.contract.js';

basketRepositoryContract(
  'memory',
  async () => new MemoryBasketRepository(),
  async () => {},
);
