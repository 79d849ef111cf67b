import { describe, expect, test } from 'vitest';
import { refresher } from './refresher';

describe('refresher', () => {
  test('asks while a refresh runs make exactly one more, after it', async () => {
    const started: number[] = [];
    const finish: Array<() => void> = [];
    const r = refresher(() => new Promise<void>((done) => { started.push(started.length); finish.push(done); }));
    void r.now();
    void r.now();
    void r.now();
    expect(started).toHaveLength(1);
    finish[0]!();
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toHaveLength(2);
    finish[1]!();
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toHaveLength(2);
  });

  test('soon gathers the asks of a while into one refresh', async () => {
    let runs = 0;
    const timers: Array<() => void> = [];
    const r = refresher(async () => { runs++; }, 100, (run) => timers.push(run));
    r.soon();
    r.soon();
    r.soon();
    expect(timers).toHaveLength(1);
    timers[0]!();
    await Promise.resolve();
    expect(runs).toBe(1);
    r.soon();
    expect(timers).toHaveLength(2);
  });
});
