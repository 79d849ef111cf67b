import { defineConfig } from 'vitest/config';

// Run from this folder (npm scripts do). The pages are Thymeleaf templates that load
// /assets/{dashboard,listener,clients,chat,desk}.js as modules, so every output name is fixed:
// entries and shared chunks as assets/[name].js, the one stylesheet as assets/socketdeck.css.
// Output goes into Spring's classpath (target/classes/static) beside what Maven put there,
// so the folder is never emptied.
export default defineConfig({
  publicDir: false,
  build: {
    outDir: '../target/classes/static',
    emptyOutDir: false,
    target: 'es2022',
    cssCodeSplit: false,
    sourcemap: true,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: {
        dashboard: 'src/pages/dashboard.ts',
        listener: 'src/pages/listener.ts',
        clients: 'src/pages/clients.ts',
        chat: 'src/pages/chat.ts',
        desk: 'src/pages/desk.ts',
      },
      output: {
        entryFileNames: 'assets/[name].js',
        chunkFileNames: 'assets/[name].js',
        assetFileNames: (asset) =>
          asset.names.some((n) => n.endsWith('.css')) ? 'assets/socketdeck.css' : 'assets/[name][extname]',
      },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
