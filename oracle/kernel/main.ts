// kpsim's real-kernel oracle (docs/validation.md, "Real kernel"):
//
//   tsx oracle/kernel/main.ts check  [CASE ...] [--keep DIR]
//                                                run the cases for real, compare with kpsim, exit 1 on
//                                                disagreement; each live run that disagrees is kept
//                                                in DIR (default /tmp/kpsim-oracle-live), as a fixture
//   tsx oracle/kernel/main.ts show CASE --from DIR  the same comparison for a kept run
//   tsx oracle/kernel/main.ts record [CASE ...]   run them for real and keep them as test fixtures
//   tsx oracle/kernel/main.ts show CASE [--live]  what each host sent, real beside kpsim (the fixture, or a live run)
//   tsx oracle/kernel/main.ts list
//
// Needs root (network namespaces, nftables) and the Debian packages the harness builds and runs
// with; says which are missing. Cases run side by side, each in namespaces of its own, each
// bounded by its length plus 20 s.
import { KERNEL_CASES, kernelCase } from './cases.js';
import { compareRun, renderComparison } from './compare.js';
import { GO_PACKAGES } from './harness-build.js';
import { saveFixture } from './fixtures.js';
import { runKernelCase } from './run-case.js';
import { missingTools, ORACLE_TOOLS } from './topology.js';

const [command = 'help', ...rest] = process.argv.slice(2);
/** `--flag VALUE` of the command line. */
function option(flag: string): string | undefined {
  const i = rest.indexOf(flag);
  if (i < 0) return undefined;
  const v = rest[i + 1];
  if (v === undefined || v.startsWith('--')) {
    console.error(`oracle: ${flag} needs a value`);
    process.exit(2);
  }
  return v;
}
const valued = new Set(['--keep', '--from']);
const names = rest.filter((a, i) => !a.startsWith('--') && !valued.has(rest[i - 1] ?? ''));

function selected(): typeof KERNEL_CASES {
  try {
    return names.length === 0 ? KERNEL_CASES : names.map(kernelCase);
  } catch (e) {
    console.error(`oracle: ${(e as Error).message}`);
    process.exit(2);
  }
}

function preflight(): void {
  if (process.getuid?.() !== 0) {
    console.error('oracle: needs root (it makes network namespaces and nftables rules)');
    process.exit(2);
  }
  const missing = missingTools();
  if (missing.length > 0) {
    console.error(`oracle: missing ${missing.join(', ')}; install with: apt-get install ${[...new Set([...ORACLE_TOOLS.map((t) => t.pkg), ...GO_PACKAGES])].join(' ')}`);
    process.exit(2);
  }
}

async function runAll(cases: typeof KERNEL_CASES): Promise<Awaited<ReturnType<typeof runKernelCase>>[]> {
  const started = Date.now();
  const runs = await Promise.all(
    cases.map(async (c, i) => {
      const r = await runKernelCase(c, i + 1);
      console.error(`oracle: ran ${c.name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      return r;
    }),
  );
  return runs;
}

switch (command) {
  case 'list':
    for (const c of KERNEL_CASES) console.log(`${c.name.padEnd(28)} ${c.about}`);
    break;
  case 'record': {
    preflight();
    const cases = selected();
    for (const r of await runAll(cases)) {
      saveFixture(r);
      console.log(`recorded ${r.case} (Linux ${r.recorded.kernel}, grpc-go ${r.recorded.grpcGo})`);
    }
    break;
  }
  case 'check': {
    preflight();
    const cases = selected();
    const keep = option('--keep') ?? '/tmp/kpsim-oracle-live';
    const runs = await runAll(cases);
    let failed = 0;
    for (const [i, r] of runs.entries()) {
      const c = cases[i] as (typeof cases)[number];
      const cmp = compareRun(c, r);
      console.log(renderComparison(c, cmp));
      if (cmp.ok) continue;
      saveFixture(r, keep);
      console.log(`  kept the run in ${keep} (npm run oracle -- show ${c.name} --from ${keep})`);
      // The nine cases run side by side on a small machine: a write a few ms late there moves a
      // backed-off RTO by a whole timer-wheel bucket (docs/validation.md). A case that disagrees
      // is run once more, alone; it fails only if that run disagrees too. Both are printed.
      const again = await runKernelCase(c, i + 1);
      const second = compareRun(c, again);
      console.log(`  run again alone: ${renderComparison(c, second).split('\n')[0]}`);
      if (!second.ok) {
        failed++;
        console.log(renderComparison(c, second));
      }
    }
    console.log(failed === 0 ? `oracle: all ${runs.length} live cases agree with kpsim` : `oracle: ${failed} of ${runs.length} live cases disagree with kpsim`);
    process.exit(failed === 0 ? 0 : 1);
    break;
  }
  case 'show': {
    const { showCase } = await import('./show.js');
    if (names[0] === undefined) {
      console.error('oracle: show needs a case name (oracle list)');
      process.exit(2);
    }
    if (rest.includes('--live')) preflight();
    await showCase(names[0], rest.includes('--live'), option('--from'));
    break;
  }
  default:
    console.log('usage: oracle/kernel/main.ts check [CASE ...] [--keep DIR] | record [CASE ...] | show CASE [--live | --from DIR] | list');
    process.exit(command === 'help' ? 0 : 2);
}
