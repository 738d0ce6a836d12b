/** Command group `assign` (to be implemented by its issue). */
import type { Command } from 'commander';

export function registerAssign(_program: Command): void {}
