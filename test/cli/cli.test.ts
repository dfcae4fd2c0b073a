// The real command line, spawned as a user runs it: output shape and values for the
// seed, and user mistakes ending in exit code 2 with a message that names the field.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const example = 'templates/wuhua-2024/example.json';
const template = 'templates/wuhua-2024/template.json';
const dir = mkdtempSync(join(tmpdir(), 'jixiao-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(join(root, 'node_modules/.bin/tsx'), ['src/cli/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Write a file into the temp dir; objects as JSON. */
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

const exampleJson = () => JSON.parse(readFileSync(join(root, example), 'utf8'));
const templateJson = () => JSON.parse(readFileSync(join(root, template), 'utf8'));

/** A user mistake: exit 2, nothing on stdout, no stack trace. */
function refused(r: ReturnType<typeof cli>) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/Error:|ZodError|node:internal/);
  return r.stderr;
}

describe('score --json', () => {
  let r: ReturnType<typeof cli>;
  let j: any;
  beforeAll(() => {
    r = cli('score', example, '--json');
    j = JSON.parse(r.stdout);
  });

  it('exits 0 with JSON on stdout', () => {
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('has exactly the documented shape', () => {
    expect(Object.keys(j).sort()).toEqual(['grade', 'indicators', 'levels', 'problems', 'rates', 'total', 'warnings']);
    for (const l of j.levels) expect(Object.keys(l).sort()).toEqual(['name', 'score', 'weight']);
    for (const i of j.indicators) expect(Object.keys(i).sort()).toEqual(['path', 'reason', 'ruleScore', 'score', 'weight']);
    expect(Object.keys(j.rates).sort()).toEqual(['arrivalRate', 'executionRate', 'spendRate']);
    for (const w of j.warnings) expect(Object.keys(w).sort()).toEqual(['code', 'message']);
    for (const p of j.problems) expect(Object.keys(p).sort()).toEqual(['category', 'description', 'unit']);
  });

  it('carries the seed values', () => {
    expect(j.total).toBe(97);
    expect(j.grade).toBe('优');
    expect(j.levels).toEqual([
      { name: '决策', weight: 25, score: 25 },
      { name: '过程', weight: 15, score: 14 },
      { name: '产出', weight: 30, score: 30 },
      { name: '效益', weight: 30, score: 28 },
    ]);
    expect(j.rates).toEqual({ arrivalRate: 63.23, executionRate: 75.15, spendRate: 47.52 });
    expect(j.indicators).toHaveLength(23); // 11 fixed 决策/过程 + 7 产出 + 4 效益 + 满意度
    expect(j.indicators.find((i: any) => i.path === '过程/资金管理/资金到位率')).toEqual({
      path: '过程/资金管理/资金到位率',
      weight: 3,
      score: 3,
      ruleScore: 1.9,
      reason: null,
    });
    const exec = j.indicators.find((i: any) => i.path === '过程/资金管理/预算执行率');
    expect([exec.score, exec.ruleScore]).toEqual([1, 1.5]);
    expect(exec.reason).toContain('扣1分');
    expect(j.indicators.find((i: any) => i.path === '效益/满意度/社会公众或服务对象满意度').ruleScore).toBeNull();
    expect(j.warnings.map((w: any) => w.code).sort()).toEqual(
      ['FIGURE_CONFLICT', 'LEVEL_WEIGHT_MISMATCH', 'LEVEL_WEIGHT_MISMATCH', 'RATE_CONFLICT', 'SELF_SCORE_DIFFERS', 'SELF_SCORE_DIFFERS'].sort(),
    );
    expect(j.problems).toContainEqual(
      expect.objectContaining({ category: '资金管理存在的问题', unit: '五华区红云街道办事处', description: expect.stringContaining('预算执行率未达到100%') }),
    );
  });

  it('--rules-only scores by the rules alone', () => {
    const r2 = cli('score', example, '--json', '--rules-only');
    expect(r2.code).toBe(0);
    const k = JSON.parse(r2.stdout);
    expect(k.levels.find((l: any) => l.name === '过程').score).toBe(13.4);
    expect(k.indicators.find((i: any) => i.path === '效益/满意度/社会公众或服务对象满意度').score).toBeNull();
    expect(k.total).toBe(k.levels.reduce((s: number, l: any) => s + l.score, 0));
    expect(k.warnings.map((w: any) => w.code)).toContain('SCORE_MISSING');
  });
});

describe('score (table)', () => {
  it('prints the total, the grade, the rates with their definitions, warnings and problems', () => {
    const r = cli('score', example);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('总分：97');
    expect(r.stdout).toContain('评价等次：优');
    expect(r.stdout).toContain('过程：14 / 15');
    expect(r.stdout).toContain('资金到位率（实际到位数/年初预算数）：63.23%');
    expect(r.stdout).toContain('预算执行率（实际支出数/实际到位数）：75.15%');
    expect(r.stdout).toContain('预算支出率（实际支出数/年初预算数）：47.52%');
    expect(r.stdout).toContain('[RATE_CONFLICT]');
    expect(r.stdout).toContain('资金管理存在的问题');
  });
});

describe('check', () => {
  it('accepts the shipped template', () => {
    const r = cli('check', template);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('没有问题');
  });

  it('refuses a template with errors, naming each place and fault', () => {
    const t = templateJson();
    t.sections[1].id = t.sections[0].id;
    t.grades.reverse();
    const err = refused(cli('check', file('bad-template.json', t)));
    expect(err).toContain('bad-template.json');
    expect(err).toContain('sections.1.id');
    expect(err).toContain('重复');
    expect(err).toContain('grades.');
    expect(err).toContain('等次要从高到低排列');
  });
});

describe('check: weights and folders', () => {
  it('refuses weights that do not add up, saying where', () => {
    const t = templateJson();
    t.indicators[2].children[0].weight = 15; // 产出数量 10 → 15
    const err = refused(cli('check', file('heavy.json', t)));
    expect(err).toContain('indicators: 一级指标分值合计105（决策25+过程15+产出35+效益30），应为100');
  });

  it('checks every template of a templates folder', () => {
    const r = cli('check', 'templates');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('templates/wuhua-2024/template.json 没有问题');
  });
});

describe('bad input: exit 2 and a message, never a stack trace', () => {
  it('a missing file', () => {
    const err = refused(cli('score', join(dir, 'nope.json')));
    expect(err).toContain('nope.json');
    expect(err).toContain('文件不存在');
  });

  it('invalid JSON', () => {
    const err = refused(cli('score', file('broken.json', '{ "template": "wuhua-2024", ')));
    expect(err).toContain('broken.json');
    expect(err).toContain('不是有效的 JSON');
  });

  it('lineItems[0].budget as a string', () => {
    const e = exampleJson();
    e.answers['lineItems[0].budget'] = '273.45';
    const err = refused(cli('score', file('string-budget.json', e)));
    expect(err).toContain('answers.lineItems[0].budget');
    expect(err).toContain('应为数字');
  });

  it('an unknown template', () => {
    const e = exampleJson();
    e.template = 'kunming-2030';
    const err = refused(cli('score', file('unknown-template.json', e)));
    expect(err).toContain('template');
    expect(err).toContain('kunming-2030');
    expect(err).toContain('找不到模板');
  });

  it('a wrong choice', () => {
    const e = exampleJson();
    e.answers['project.type'] = '长期项目';
    const err = refused(cli('score', file('wrong-choice.json', e)));
    expect(err).toContain('answers.project.type');
    expect(err).toContain('长期项目');
    expect(err).toContain('经常性项目');
  });

  it('an unknown answer path', () => {
    const e = exampleJson();
    e.answers['project.budgetCode'] = 'X-1';
    const err = refused(cli('score', file('unknown-path.json', e)));
    expect(err).toContain('answers.project.budgetCode');
    expect(err).toContain('模板里没有这一题');
  });

  it('a number too large for exact arithmetic', () => {
    const e = exampleJson();
    e.answers['lineItems[0].budget'] = 1e30;
    const err = refused(cli('score', file('huge.json', e)));
    expect(err).toContain('answers.lineItems[0].budget');
    expect(err).toContain('太大');
  });

  it('a file that is not an evaluation at all', () => {
    const err = refused(cli('score', template));
    expect(err).toMatch(/answers: /);
    expect(err).toMatch(/templateVersion: /);
  });

  it('a missing file argument', () => {
    const err = refused(cli('score'));
    expect(err).toContain('缺少答案文件');
    expect(err).toContain('用法');
  });

  it('check on a missing file', () => {
    expect(refused(cli('check', join(dir, 'gone.json')))).toContain('文件不存在');
  });

  it('an unknown command, with usage', () => {
    const err = refused(cli('grade', example));
    expect(err).toContain('不认识的命令“grade”');
    expect(err).toContain('用法');
    expect(err).toContain('score <答案.json>');
  });

  it('no command, with usage', () => {
    expect(refused(cli())).toContain('用法');
  });
});

describe('schema', () => {
  it('prints the JSON Schema that templates/template.schema.json holds', () => {
    const r = cli('schema');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(root, 'templates/template.schema.json'), 'utf8')));
  });
});
