import { describe, expect, it } from 'vitest';
import { rankEnvVars, rankFromEnv } from './rank-env.ts';

describe('rank environment (torchrun names)', () => {
  it('reads back what the launcher writes', () => {
    const rank = { rank: 3, worldSize: 4, localRank: 1, masterAddr: '10.0.0.1', masterPort: 29500, connectTimeoutSeconds: 60 };
    expect(rankFromEnv(rankEnvVars(rank))).toEqual(rank);
  });

  it('is one process without WORLD_SIZE or with WORLD_SIZE=1', () => {
    expect(rankFromEnv({})).toBeNull();
    expect(rankFromEnv({ WORLD_SIZE: '1', RANK: '0' })).toBeNull();
  });

  it('defaults as torchrun does and says what is wrong', () => {
    expect(rankFromEnv({ WORLD_SIZE: '2', RANK: '1', MASTER_PORT: '1234' })).toEqual({ rank: 1, worldSize: 2, localRank: 0, masterAddr: '127.0.0.1', masterPort: 1234, connectTimeoutSeconds: 300 });
    expect(() => rankFromEnv({ WORLD_SIZE: '2', RANK: '2', MASTER_PORT: '1' })).toThrow('RANK=2 must be below WORLD_SIZE=2');
    expect(() => rankFromEnv({ WORLD_SIZE: '2', RANK: '0' })).toThrow(/MASTER_PORT= must be an integer >= 1/);
    expect(() => rankFromEnv({ WORLD_SIZE: 'two' })).toThrow(/WORLD_SIZE=two/);
  });
});
