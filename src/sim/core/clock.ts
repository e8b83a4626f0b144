// Time for the simulator. The core never reads Date.now() or calls setTimeout itself:
// it asks a Clock, so tests drive it with a VirtualClock and the labs can run it accelerated.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch, as the simulated cluster sees it. */
  now(): number;
  /** Runs fn once after ms simulated milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Runs fn every ms simulated milliseconds until cancelled. */
  setInterval(fn: () => void, ms: number): TimerHandle;
}

/** A clock that moves only when told to: for tests and for grading replays. */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: { at: number; seq: number; fn: () => void; every?: number; cancelled: boolean }[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, Math.max(1, Math.ceil(ms)));
  }

  /** Moves time forward by ms, firing every timer due on the way, in order. */
  advance(ms: number): void {
    const target = this.current + Math.ceil(ms);
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.current = next.at;
      if (next.every !== undefined) {
        next.at += next.every;
      } else {
        next.cancelled = true;
        this.timers = this.timers.filter((t) => t !== next);
      }
      next.fn();
    }
    this.current = target;
  }

  /** Advances in steps until predicate holds or maxMs has passed; returns whether it held. */
  advanceUntil(predicate: () => boolean, maxMs: number, stepMs = 100): boolean {
    let waited = 0;
    while (!predicate()) {
      if (waited >= maxMs) return false;
      this.advance(stepMs);
      waited += stepMs;
    }
    return true;
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  private add(fn: () => void, ms: number, every?: number): TimerHandle {
    // Whole milliseconds, as Date.now() gives: ids and timestamps built from now() expect integers.
    const delay = Math.max(0, Math.ceil(ms));
    const timer = { at: this.current + delay, seq: this.seq++, fn, every, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
        this.timers = this.timers.filter((t) => t !== timer);
      },
    };
  }

  private nextDue(limit: number) {
    let best: (typeof this.timers)[number] | undefined;
    for (const t of this.timers) {
      if (t.cancelled || t.at > limit) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/**
 * The wall clock, optionally accelerated: with speed 60 a simulated minute lasts a real second.
 * Simulated time starts at the real time of creation and runs `speed` times faster.
 */
export class RealClock implements Clock {
  private readonly realStart = Date.now();

  constructor(private readonly speed = 1) {
    if (!(speed > 0)) throw new Error('speed must be positive');
  }

  now(): number {
    return this.realStart + Math.floor((Date.now() - this.realStart) * this.speed);
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = globalThis.setTimeout(fn, Math.max(0, ms / this.speed));
    return { cancel: () => globalThis.clearTimeout(id) };
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = globalThis.setInterval(fn, Math.max(1, ms / this.speed));
    return { cancel: () => globalThis.clearInterval(id) };
  }
}
