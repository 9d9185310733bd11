/**
 * A one-line progress indicator on stderr, shown only when stderr is a terminal.
 * Scripts (and tests) see nothing of it.
 */
export function terminalProgress(label: string): { update: ((step: string, fraction?: number) => void) | undefined; done: () => void } {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let last = '';
  return {
    // undefined when there is no terminal: callers then skip progress tracking altogether
    update: !tty ? undefined : (step: string, fraction?: number) => {
      const pct = fraction === undefined ? '' : ` ${Math.round(fraction * 100)}%`;
      const text = `${label}: ${step}${pct} (${((Date.now() - started) / 1000).toFixed(1)} s)`;
      if (text === last) return;
      last = text;
      process.stderr.write(`\r\x1b[2K${text}`);
    },
    done() {
      if (tty && last) process.stderr.write('\r\x1b[2K');
    },
  };
}
