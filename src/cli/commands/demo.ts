import type { Command } from 'commander';

export function registerDemo(program: Command): void {
  program.command('demo')
    .description('generate a realistic advertiser and run it end to end')
    .action(async () => {
      process.stdout.write('demo: not ready\n');
    });
}
