import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** The server in development (`mvn -pl signaling exec:java` or the packaged jar). */
const SERVER = process.env.PALCO_SERVER ?? 'http://localhost:8080';

/**
 * The server answers `/r/{roomId}` with stage.html; the dev server does the same so join links
 * from a locally running server open the page under development.
 */
function stageRoutes(): Plugin {
  return {
    name: 'palco-stage-routes',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url && /^\/r\/[^/?#]+\/?(\?|$)/.test(req.url)) {
          const query = req.url.indexOf('?');
          req.url = '/stage.html' + (query >= 0 ? req.url.slice(query) : '');
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
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        stage: resolve(import.meta.dirname, 'stage.html'),
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
