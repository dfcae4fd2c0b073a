// The scripted "knows the answers" conversations and their message budgets (issue 11):
// the seed case in at most 90 messages (one value per message took 214), the national
// example in proportion to its number of answers.
import { join } from 'node:path';
import { examples } from '../../src/domain/registry';

const SEED_BUDGET = 90;
const answersOf = (id: string) => Object.keys(examples[id].answers).filter((k) => !k.startsWith('weights.')).length;

export const fastFixtures = [
  { templateId: 'wuhua-2024', title: '种子案例（红云街道 行政综合性经费 2024）', path: join(import.meta.dirname, '../fixtures/seed-fast.txt'), budget: SEED_BUDGET, before: 214 },
  {
    templateId: 'national-2024',
    title: '国家示例（农村饮水安全巩固提升工程 2024）',
    path: join(import.meta.dirname, '../fixtures/national-fast.txt'),
    budget: Math.ceil((SEED_BUDGET * answersOf('national-2024')) / answersOf('wuhua-2024')),
    before: undefined as number | undefined,
  },
];
