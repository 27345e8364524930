import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/error-report.js';
import { renderScenarioList } from '../../src/cli/scenario-list.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { ScenarioError } from '../../src/scenario/errors.js';

describe('reportError', () => {
  it('maps invalid input and usage errors to exit 2 with one kpsim: line', () => {
    const scenario = new ScenarioError('a.json: server.keepalive.time: expected a duration string, got number 60', { source: 'a.json', path: 'server.keepalive.time' });
    expect(reportError(scenario)).toEqual({ exitCode: 2, line: 'kpsim: a.json: server.keepalive.time: expected a duration string, got number 60' });
    expect(reportError(new UsageError('no built-in scenario or file named "x"'))).toEqual({ exitCode: 2, line: 'kpsim: no built-in scenario or file named "x"' });
    const unknown = new CommanderError(1, 'commander.unknownCommand', "error: unknown command 'lst'\n(Did you mean list?)");
    expect(reportError(unknown)).toEqual({ exitCode: 2, line: "kpsim: unknown command 'lst' (Did you mean list?)" });
  });

  it('lets help exit 0 silently, and treats a bare `kpsim` as a usage error', () => {
    expect(reportError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ exitCode: 0, line: undefined });
    expect(reportError(new CommanderError(0, 'commander.help', '(outputHelp)'))).toEqual({ exitCode: 0, line: undefined });
    expect(reportError(new CommanderError(1, 'commander.help', '(outputHelp)')).exitCode).toBe(2);
  });

  it('reports anything else as an internal error, exit 70, without a stack', () => {
    expect(reportError(new TypeError('x is undefined\n    at foo (bar.ts:1:1)'))).toEqual({ exitCode: 70, line: 'kpsim: internal error: x is undefined at foo (bar.ts:1:1)' });
    expect(reportError('thrown string')).toEqual({ exitCode: 70, line: 'kpsim: internal error: thrown string' });
  });
});

describe('renderScenarioList', () => {
  it('aligns descriptions after the longest name, one line each', () => {
    expect(renderScenarioList([{ name: 'a', description: 'first\n line' }, { name: 'long-name', description: 'second' }, { name: 'bare' }])).toBe(
      'a          first line\nlong-name  second\nbare\n',
    );
  });
});
