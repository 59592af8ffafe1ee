import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webDir = path.dirname(fileURLToPath(import.meta.url));

// The dashboard is built into dist/web and served by the Sextant process itself.
// Everything it needs is bundled: no CDN, no web fonts, no request off the machine.
export default defineConfig({
  root: webDir,
  plugins: [react()],
  build: {
    outDir: path.join(webDir, '..', 'dist', 'web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 500,
    rolldownOptions: {
      output: {
        // Vendor code in its own cacheable chunks, each under 500 kB.
        codeSplitting: {
          groups: [
            { name: 'zrender', test: /node_modules[\\/]zrender/ },
            // Chart types apart from the ECharts core keep both chunks under 500 kB.
            { name: 'chart-types', test: /node_modules[\\/]echarts[\\/]lib[\\/]chart[\\/]/ },
            { name: 'charts', test: /node_modules[\\/]echarts/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:4680', '/healthz': 'http://127.0.0.1:4680' } },
});
