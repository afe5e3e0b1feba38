// Graceful stop for long-running commands (start, dev): the first SIGTERM/SIGINT runs `stop` and
// exits 0 (1 if stopping failed); a second signal exits at once.
export function exitOnSignals(stop: () => Promise<void>, announce: (signal: string) => void): void {
  let stopping = false;
  const onSignal = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    announce(signal);
    try {
      await stop();
      process.exit(0);
    } catch (error) {
      process.stderr.write(`backend: shutdown failed: ${(error as Error).message}\n`);
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void onSignal("SIGTERM"));
  process.on("SIGINT", () => void onSignal("SIGINT"));
}
