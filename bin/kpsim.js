#!/usr/bin/env node
// Launcher: loads the TypeScript CLI in this process through tsx's loader, so no build step is
// needed and no child process stands between a signal (Ctrl-C, SIGTERM) and kpsim.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
