/// <reference types="vitest" />
// The dashboard's build: plain esbuild JSX for Preact (no Babel), one hashed bundle per entry
// under assets/ (the server caches /assets/ for a year), no inline scripts (the server's
// Content-Security-Policy allows only same-origin scripts).
import { defineConfig } from 'vite';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    target: 'es2020',
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    // `npm run dev` proxies the API to a running `tandem serve` (TANDEM_URL, default :8080).
    proxy: {
      '/api': process.env.TANDEM_URL ?? 'http://127.0.0.1:8080',
      '/contract': process.env.TANDEM_URL ?? 'http://127.0.0.1:8080',
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
