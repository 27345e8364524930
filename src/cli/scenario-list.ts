/** `kpsim list`: one line per built-in scenario, names aligned, then its description. */
export function renderScenarioList(entries: readonly { readonly name: string; readonly description?: string | undefined }[]): string {
  const width = Math.max(0, ...entries.map((e) => e.name.length));
  return entries.map((e) => `${e.name.padEnd(width)}  ${oneLineText(e.description ?? '')}`.trimEnd()).join('\n') + '\n';
}

function oneLineText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
