import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/simulators/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Protocol tests open loopback sockets; two workers match the CI machine's cores.
    pool: 'threads',
    maxWorkers: 2,
  },
});
