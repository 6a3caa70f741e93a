// Cleanups that must run however the bench ends: normally, on an error, or on Ctrl-C.
type Cleanup = () => Promise<void> | void;
const pending = new Set<Cleanup>();

/** Registers `fn`; call the returned function to run it now (once) instead of at the end. */
export function onCleanup(fn: Cleanup): () => Promise<void> {
  pending.add(fn);
  return async () => {
    if (pending.delete(fn)) await fn();
  };
}

/** Runs every pending cleanup, newest first; a failing one does not stop the others. */
export async function cleanupAll(): Promise<void> {
  for (const fn of [...pending].reverse()) {
    pending.delete(fn);
    try {
      await fn();
    } catch (error) {
      console.error(`cleanup failed: ${(error as Error).message}`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: cleaning up`);
    void cleanupAll().finally(() => process.exit(130));
  });
}
