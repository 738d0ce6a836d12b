/** Command group `trips` (to be implemented by its issue). */
import type { Command } from 'commander';

export function registerTrips(_program: Command): void {}
