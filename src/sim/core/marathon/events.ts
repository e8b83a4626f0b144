// Marathon's event bus (core/event/Events.scala): every event carries eventType and
// timestamp last, Option fields are omitted when empty. Subscribers are the SSE streams and tests.
import { isoTime } from './json.ts';

export interface MarathonEvent {
  eventType: string;
  /** The payload in Marathon's field order, eventType and timestamp included. */
  payload: Record<string, unknown>;
}

export type EventListener = (event: MarathonEvent) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly now: () => number) {}

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  /** Builds the payload only when someone listens (plans with whole groups are not cheap). */
  publish(eventType: string, fields: () => Record<string, unknown>): void {
    if (this.listeners.size === 0) return;
    const payload = { ...fields(), eventType, timestamp: isoTime(this.now()) };
    const event = { eventType, payload };
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A failing subscriber must not break the scheduler.
      }
    }
  }
}
