/** The import kinds, by the name used in `template KIND` and by the import worker. */
export const KIND_NAMES = ['staff', 'surveys', 'events', 'followups', 'orders', 'trips', 'expenses'] as const;
