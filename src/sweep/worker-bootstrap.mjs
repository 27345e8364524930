// Plain-JS entry of a sweep worker thread: Node cannot load TypeScript itself, so register tsx's
// loader in this thread first (resolved from this file, so it works from any working directory,
// under `npm run kpsim`, the `kpsim` bin and vitest alike), then load the real worker.
import { register } from 'tsx/esm/api';

register();
await import('./cell-worker.ts');
