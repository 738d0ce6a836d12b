/** Command group `followups` (to be implemented by its issue). */
import type { Command } from 'commander';

export function registerFollowups(_program: Command): void {}
