/// <reference types="vitest/config" />
// Vite builds the UI into ui/dist, which the desktop app embeds (`custom-protocol`
// feature) or loads from this dev server (http://localhost:5173) in a dev build.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { host: 'localhost', port: 5173, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every asset is a file under 'self': no data: URIs, which the CSP does not allow.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
