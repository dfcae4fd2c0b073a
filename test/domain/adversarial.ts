// 100 KB of hostile input for every answer parser: used by the adversarial parser test
// (a generous bound) and by `npm run bench` (the real figures).
import type { QuestionKind } from '../../src/domain/template';

export const KINDS: QuestionKind[] = ['text', 'longText', 'money', 'yuan', 'value', 'percent', 'date', 'choice', 'count', 'number', 'score', 'phone', 'year'];
export const N = 100_000;
export const ADVERSARIAL: Record<string, string> = {
  // a run of trailing-punctuation characters NOT at the end: /[。.]+$/ retries from every position
  dots: '.'.repeat(N) + 'x',
  fullStops: '。'.repeat(N) + '1',
  bangs: '!！~'.repeat(N / 3) + 'x',
  spaces: '1' + ' '.repeat(N) + 'x',
  digitsThenJunk: '1'.repeat(N) + '。x',
  dashes: '-'.repeat(N) + 'a',
  numerals: '一二三四五六七八九十'.repeat(N / 10) + '万x',
  thousands: '1,000'.repeat(N / 5) + ',',
  mixed: '第(1'.repeat(N / 3),
  zeroWidth: '\u200b'.repeat(N) + '1',
  newlines: '\n \n'.repeat(N / 3) + 'x',
};
export const ADVERSARIAL_CONTEXT = { options: ['全部达成', '部分达成', '未达成'], year: 2024 };
