import { describe, expect, it } from 'vitest';
import { RealClock, VirtualClock } from './clock.ts';

describe('VirtualClock', () => {
  it('fires timers in time order, then insertion order, and only when due', () => {
    const clock = new VirtualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@20'), 20);
    clock.setTimeout(() => fired.push('a@10'), 10);
    clock.setTimeout(() => fired.push('c@10'), 10);
    clock.advance(9);
    expect(fired).toEqual([]);
    clock.advance(11);
    expect(fired).toEqual(['a@10', 'c@10', 'b@20']);
    expect(clock.now()).toBe(20);
  });

  it('repeats intervals until cancelled, and sees time at each firing', () => {
    const clock = new VirtualClock(0);
    const seen: number[] = [];
    const handle = clock.setInterval(() => seen.push(clock.now()), 100);
    clock.advance(350);
    handle.cancel();
    clock.advance(1000);
    expect(seen).toEqual([100, 200, 300]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('keeps now() a whole number of milliseconds even with fractional delays', () => {
    const clock = new VirtualClock(1000);
    let at = 0;
    clock.setTimeout(() => (at = clock.now()), 0.4);
    clock.advance(0.5);
    expect(Number.isInteger(at)).toBe(true);
    expect(Number.isInteger(clock.now())).toBe(true);
  });

  it('advanceUntil stops as soon as the condition holds, or reports that it never did', () => {
    const clock = new VirtualClock(0);
    let done = false;
    clock.setTimeout(() => (done = true), 250);
    expect(clock.advanceUntil(() => done, 10_000, 100)).toBe(true);
    expect(clock.now()).toBe(300);
    expect(clock.advanceUntil(() => false, 500, 100)).toBe(false);
  });
});

describe('RealClock', () => {
  it('refuses a speed that is not positive', () => {
    expect(() => new RealClock(0)).toThrow();
  });

  it('runs faster than the wall clock at speed > 1 and gives whole milliseconds', async () => {
    const clock = new RealClock(1000);
    const before = clock.now();
    await new Promise((r) => setTimeout(r, 20));
    const elapsed = clock.now() - before;
    expect(elapsed).toBeGreaterThanOrEqual(10_000);
    expect(Number.isInteger(clock.now())).toBe(true);
  });
});
