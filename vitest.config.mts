// Unit tests of the sidebar's pure parts (time, the map's layout, the confirmation rule):
// node only, no browser. `jlpm test`; scripts/test.sh runs them before pytest.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/__tests__/**/*.spec.ts'],
    environment: 'node'
  }
});
