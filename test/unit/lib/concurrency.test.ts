import { describe, expect, it } from 'vitest';
import { concurrencyLimit } from '../../../src/lib/concurrency.js';

/** A task that runs until its `finish` (or `fail`) is called, reporting when it started. */
function task(started: string[], name: string) {
  let finish!: (value: string) => void;
  let fail!: (error: Error) => void;
  const run = () => {
    started.push(name);
    return new Promise<string>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  };
  return { run, finish: () => finish(name), fail: () => fail(new Error(name)) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('concurrencyLimit', () => {
  it('runs at most the limit at once and starts the others in the order they came as slots free up', async () => {
    const inTurn = concurrencyLimit(2);
    const started: string[] = [];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => task(started, name));
    const results = [a!, b!, c!, d!].map((t) => inTurn(t.run));
    await settle();
    expect(started).toEqual(['a', 'b']);
    b!.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    a!.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    c!.finish();
    d!.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('frees the slot of a task that fails, and passes its error on', async () => {
    const inTurn = concurrencyLimit(1);
    const started: string[] = [];
    const [a, b] = ['a', 'b'].map((name) => task(started, name));
    const first = inTurn(a!.run);
    const second = inTurn(b!.run);
    await settle();
    expect(started).toEqual(['a']);
    a!.fail();
    await expect(first).rejects.toThrow('a');
    await settle();
    expect(started).toEqual(['a', 'b']);
    b!.finish();
    expect(await second).toBe('b');
    // Free again: the next task starts at once.
    const c = task(started, 'c');
    const third = inTurn(c.run);
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    c.finish();
    await third;
  });
});
