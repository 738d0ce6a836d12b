/** Command group `kpi` (to be implemented by its issue). */
import type { Command } from 'commander';

export function registerKpi(_program: Command): void {}
