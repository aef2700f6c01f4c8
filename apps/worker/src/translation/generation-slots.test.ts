import { describe, expect, it } from 'vitest';
import { GenerationSlots } from './generation-slots.ts';

describe('GenerationSlots', () => {
  it('lets `limit` generations run and the next one start only when a slot is given back', async () => {
    const slots = new GenerationSlots(2);
    const first = await slots.acquire();
    await slots.acquire();
    let third = false;
    const waiting = slots.acquire().then((release) => {
      third = true;
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(third).toBe(false);
    expect(slots.busy).toBe(2);
    first();
    first(); // giving a slot back twice frees it once
    (await waiting)();
    expect(third).toBe(true);
    expect(slots.busy).toBe(1);
  });

  it('stops waiting when the request is aborted, without taking a slot', async () => {
    const slots = new GenerationSlots(1);
    await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort(new Error('client disconnected'));
    await expect(waiting).rejects.toThrow('client disconnected');
    expect(slots.busy).toBe(1);
  });
});
