import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "dashboard/e2e/**/*.test.ts"],
    pool: "forks",
    // Most tests wait on servers, databases and sandbox workers rather than the CPU: three files
    // at a time finish the suite in about two thirds of the time on a 2-core machine.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
