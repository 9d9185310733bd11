import type { Command } from 'commander';
import { saveAdvertiser } from '../../config/advertisers.js';
import { loadConfigFile } from '../../config/load.js';
import { withStore } from '../context.js';

export function registerInit(program: Command): void {
  program.command('init')
    .description('create or update an advertiser from a JSON config (SPEC §2.1)')
    .requiredOption('--config <file>', 'advertiser config JSON')
    .action(async (opts: { config: string }, cmd: Command) => {
      const adv = await loadConfigFile(opts.config); // validated before the database is touched
      const outcome = await withStore(cmd, (store) => store.transaction(() => saveAdvertiser(store, adv)));
      process.stdout.write(`advertiser "${adv.id}" ${outcome} (${adv.name}; ${adv.timezone}; ${adv.currency}; featured: ${adv.featured_conversion.name}; ` +
        `${adv.rules.length} ${adv.default_rules ? 'default ' : ''}mapping rules)\n`);
    });
}
