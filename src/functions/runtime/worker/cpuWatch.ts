// CPU time enforcement: while executions run, checks each one's isolate.cpuTime every few
// milliseconds and stops the ones past their limit. One interval for the whole worker.
import type { RunningExecution } from "./runningExecution.js";

const PERIOD_MS = 10;

export class CpuWatch {
  private readonly running = new Set<RunningExecution>();
  private timer: NodeJS.Timeout | undefined;

  add(execution: RunningExecution): void {
    this.running.add(execution);
    if (!this.timer) {
      this.timer = setInterval(() => this.check(), PERIOD_MS);
      this.timer.unref();
    }
  }

  remove(execution: RunningExecution): void {
    this.running.delete(execution);
    if (this.running.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private check(): void {
    for (const execution of this.running) {
      const limit = execution.cpuLimitMs;
      if (execution.cpuUsedMs() > limit) {
        execution.stop({ status: "cpu_limit", message: `CPU time limit of ${limit} ms exceeded` });
      }
    }
  }
}
