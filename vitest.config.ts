import { defineConfig } from 'vitest/config';

// Two projects. `main` is the suite every change runs against the shared Redis on 6379 (each
// test under its own key prefix). `infra` starts real infrastructure of its own (Redis Sentinel
// and Cluster, promtool, ...) on free loopback ports; `npm test` runs it after `main`.
export default defineConfig({
  test: {
    // Integration and e2e tests talk to real Redis and loopback servers; give them room on a 2-core box.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'main', include: ['test/**/*.test.ts'], exclude: ['test/infra/**'] },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          // Starts a Sentinel group and a Cluster of its own (never the shared Redis) and provides their URLs.
          globalSetup: ['test/infra/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One cluster or sentinel group at a time on a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
