import type { DiffFormatter } from './describe.js';
import { jsonFormat } from './json.js';
import { markdownFormat } from './markdown.js';
import { textFormat } from './text.js';

export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export const diffFormatters: Record<DiffFormat, DiffFormatter> = { text: textFormat, markdown: markdownFormat, json: jsonFormat };

export type { DiffFormatter, DiffReport, FormatOptions } from './describe.js';
