import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * Files known to take longest (multi-node clusters, spawned servers) start
 * first, so the three workers end together; a fresh clone has no timing cache to order by.
 */
const SLOW_FIRST = [
  "src/events/delivery.cluster.test.ts",
  "src/schedules/scheduler/schedules.cluster.test.ts",
  "src/cli/start.test.ts",
  "src/functions/invoke/executionRecords.load.test.ts",
  "src/auth/auth.test.ts",
  "src/schedules/schedules.test.ts",
  "src/cli/functions/run.test.ts",
  "src/server/crashSafety.test.ts",
  "src/events/events.test.ts",
  "src/channels/channels.cluster.test.ts",
];

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = SLOW_FIRST.findIndex((slow) => file.moduleId.endsWith(slow));
      return index < 0 ? SLOW_FIRST.length : index;
    };
    return sorted
      .map((file, i) => ({ file, i }))
      .sort((a, b) => rank(a.file) - rank(b.file) || a.i - b.i)
      .map((x) => x.file);
  }
}

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "dashboard/e2e/**/*.test.ts"],
    pool: "forks",
    // Most tests wait on servers, databases and sandbox workers rather than the CPU: three files
    // at a time finish the suite in about two thirds of the time on a 2-core machine.
    maxWorkers: 3,
    sequence: { sequencer: SlowFirst },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
