import { createContext } from "preact";

/**
 * Where the realtime events meet the components that show them: a component listens to a topic
 * (a post to "post:<id>"), a post's page asks for its topic to be watched while it is open. With no
 * socket (none configured, or it closed), nothing is heard and the page's polling carries on.
 */
export function createHub() {
  const listeners = new Map();
  const watched = new Set();
  let realtime = null;
  return {
    on(topic, listener) {
      if (!listeners.has(topic)) listeners.set(topic, new Set());
      listeners.get(topic).add(listener);
      return () => listeners.get(topic).delete(listener);
    },
    emit(topic, event) {
      (listeners.get(topic) || []).forEach((listener) => listener(event));
    },
    watch(topic) {
      watched.add(topic);
      if (realtime) realtime.watch(topic);
    },
    unwatch(topic) {
      watched.delete(topic);
      if (realtime) realtime.unwatch(topic);
    },
    /** The socket of the moment (or null): it is told what is watched already. */
    attach(value) {
      realtime = value;
      if (value) watched.forEach((topic) => value.watch(topic));
    },
  };
}

/** A hub that hears nothing, for components rendered outside the app (and tests of one component). */
export const LiveContext = createContext(createHub());
