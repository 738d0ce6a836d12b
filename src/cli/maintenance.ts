/** Command group `maintenance` (to be implemented by its issue). */
import type { Command } from 'commander';

export function registerMaintenance(_program: Command): void {}
