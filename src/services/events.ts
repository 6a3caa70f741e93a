import type { DomainEvent } from '../domain/events.js';

export type EventListener = (event: DomainEvent) => void;

/**
 * The in-process side of domain events: use cases publish what their committed changes caused, and subscribers
 * built in composition (the metrics) react. Integrators get the same events from the outbox (webhooks), which
 * covers every instance and the CLI; this emitter only sees this process, at once.
 */
export type Emitter = {
  subscribe(listener: EventListener): () => void;
  /** Call only after the change's transaction committed. A failing listener is not the publisher's problem. */
  publish(events: readonly DomainEvent[]): void;
};

export function createEmitter(): Emitter {
  const listeners = new Set<EventListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(events) {
      for (const event of events)
        for (const listener of listeners) {
          try {
            listener(event);
          } catch {
            // a subscriber's fault never undoes or fails a committed change
          }
        }
    },
  };
}
