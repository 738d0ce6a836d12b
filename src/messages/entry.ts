/** One text in both languages: what the catalogue parts and column headers are made of. */
export type Lang = 'zh' | 'en';

export interface Entry {
  zh: string;
  en: string;
}
