import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** The server in development (`mvn -pl signaling exec:java` or the packaged jar). */
const SERVER = process.env.PALCO_SERVER ?? 'http://localhost:8080';

/**
 * The server answers `/r/{roomId}` with stage.html and `/a/{roomId}` with audience.html; the dev
 * server does the same so join links
 * from a locally running server open the page under development.
 */
function stageRoutes(): Plugin {
  return {
    name: 'palco-stage-routes',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url && /^\/[ra]\/[^/?#]+\/?(\?|$)/.test(req.url)) {
          const query = req.url.indexOf('?');
          const page = req.url.startsWith('/a/') ? '/audience.html' : '/stage.html';
          req.url = page + (query >= 0 ? req.url.slice(query) : '');
        }
        next();
      });
    },
  };
}

export default defineConfig({
  plugins: [stageRoutes()],
  build: {
    // Maven packages target/classes as the jar; the server serves palco-web/ from the classpath.
    outDir: 'target/classes/palco-web',
    emptyOutDir: true,
    target: 'es2022',
    // hls.js (about 580 kB) is its own chunk, loaded only when a stream is announced.
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        stage: resolve(import.meta.dirname, 'stage.html'),
        audience: resolve(import.meta.dirname, 'audience.html'),
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': SERVER,
      '/healthz': SERVER,
      '/whip': SERVER,
      '/whep': SERVER,
      '/ws': { target: SERVER, ws: true },
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
