// The template schema: the shipped template passes, common authoring mistakes are caught
// with a path and a message, the JSON Schema file is current, and every answer path of
// the example maps to a question.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formSections, questionAt, validateAnswerTypes } from '../../src/domain/questions';
import { defaultTemplate, examples, findTemplate, parseTemplate } from '../../src/domain/registry';
import { templateJsonSchema } from '../../src/domain/template';
import { exampleFile, rawTemplate, repoRoot, seedAnswers, seedTemplate } from './fixtures';

/** The issues `check` reports for the real template with one change. */
function issuesWith(change: (t: any) => void): string[] {
  const t = rawTemplate();
  change(t);
  const r = parseTemplate(t);
  if (r.ok) throw new Error('expected the template to be refused');
  return r.issues;
}

describe('the shipped template', () => {
  it('validates', () => {
    const r = parseTemplate(rawTemplate());
    expect(r.ok ? [] : r.issues).toEqual([]);
  });

  it('is the one the registry serves, with its example', () => {
    const t = seedTemplate();
    expect(findTemplate('wuhua-2024', 1)?.id).toBe(t.id);
    expect(findTemplate('wuhua-2024', 2)).toBeUndefined();
    expect(defaultTemplate().id).toBe('wuhua-2024');
    expect(examples['wuhua-2024'].answers).toEqual(exampleFile().answers);
  });

  it('has indicator weights that add up to 100 and grades from high to low', () => {
    const t = seedTemplate();
    const sum = t.indicators.flatMap((l1) => l1.children).reduce((s, l2) => s + (l2.weight ?? 0), 0);
    expect(sum).toBe(100);
    expect(t.grades.map((g) => [g.grade, g.min])).toEqual([
      ['优', 90],
      ['良', 80],
      ['中', 60],
      ['差', 0],
    ]);
  });
});

describe('check catches authoring mistakes', () => {
  it('a choice without options', () => {
    const issues = issuesWith((t) => {
      const q = t.sections[0].questions.find((x: any) => x.id === 'type');
      delete q.options;
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^sections\.0\.questions\.\d+\.options: /);
    expect(issues[0]).toContain('选项');
  });

  it('a choice with an empty option list', () => {
    const issues = issuesWith((t) => {
      t.sections[0].questions.find((x: any) => x.id === 'type').options = [];
    });
    expect(issues.join('\n')).toContain('选择题必须列出选项');
  });

  it('a category not in problemCategories', () => {
    const issues = issuesWith((t) => {
      t.indicators[1].children[0].category = 'money';
    });
    expect(issues).toEqual(['indicators.1.children.0.category: 问题类别“money”不在 problemCategories 里']);
  });

  it('duplicate section ids', () => {
    const issues = issuesWith((t) => {
      t.sections[2].id = t.sections[1].id;
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^sections\.2\.id: /);
    expect(issues[0]).toContain(`“${rawTemplate().sections[1].id}”重复`);
  });

  it('duplicate indicator ids', () => {
    const issues = issuesWith((t) => {
      t.indicators[0].children[0].children[1].id = t.indicators[0].children[0].children[0].id;
    });
    expect(issues.join('\n')).toContain('“basisSufficiency”重复');
  });

  it('grades out of order', () => {
    const issues = issuesWith((t) => {
      t.grades = [
        { grade: '良', min: 80 },
        { grade: '优', min: 90 },
        { grade: '中', min: 60 },
        { grade: '差', min: 0 },
      ];
    });
    expect(issues).toEqual(['grades.1.min: 等次要从高到低排列']);
  });

  it('two grades with the same lower bound', () => {
    const issues = issuesWith((t) => {
      t.grades[1].min = 90;
    });
    expect(issues).toEqual(['grades.1.min: 等次要从高到低排列']);
  });

  it('a level-2 indicator with neither children nor custom', () => {
    const issues = issuesWith((t) => {
      delete t.indicators[2].children[0].custom; // 产出数量
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^indicators\.2\.children\.0: /);
    expect(issues[0]).toContain('children');
    expect(issues[0]).toContain('custom');
  });

  it('a level-2 indicator with an empty children list', () => {
    const issues = issuesWith((t) => {
      t.indicators[0].children[0].children = [];
    });
    expect(issues.map((i) => i.split(':')[0])).toEqual(['indicators.0.children.0']);
  });

  it('wrong types and unknown kinds, by path', () => {
    const issues = issuesWith((t) => {
      t.sections[0].questions[0].kind = 'essay';
      t.indicators[0].children[0].weight = '10';
    });
    const paths = issues.map((i) => i.split(':')[0]);
    expect(paths).toContain('sections.0.questions.0.kind');
    expect(paths).toContain('indicators.0.children.0.weight');
  });
});

describe('templates/template.schema.json', () => {
  it('is what templateJsonSchema() generates (regenerate with `npm run --silent schema`)', () => {
    const onDisk = JSON.parse(readFileSync(`${repoRoot}templates/template.schema.json`, 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(templateJsonSchema())));
  });

  it('is the schema the template file points at', () => {
    expect(rawTemplate().$schema).toBe('../template.schema.json');
  });
});

describe('answer paths and the questions they answer', () => {
  const template = seedTemplate();
  const sections = formSections(template);

  it('every path in example.json maps to a question, except the stated level weights', () => {
    const unknown = Object.keys(seedAnswers()).filter((p) => !questionAt(sections, p));
    // weights.<level> is what the form states, read from files only, and checked as a number
    expect(unknown.every((p) => /^weights\.[a-z]+$/.test(p))).toBe(true);
    expect(unknown.sort()).toEqual(['weights.decision', 'weights.output']);
  });

  it('maps paths to the right question and item', () => {
    expect(questionAt(sections, 'lineItems[0].budget')?.question.kind).toBe('money');
    expect(questionAt(sections, 'lineItems[0].budget')?.index).toBe(0);
    expect(questionAt(sections, 'breakdown[12].amount')?.index).toBe(12);
    expect(questionAt(sections, 'project.type')?.question.options).toContain('经常性项目');
    expect(questionAt(sections, 'ind.arrivalRate.score')?.question.kind).toBe('score');
    expect(questionAt(sections, 'ind.basisSufficiency.achievement')?.question.kind).toBe('choice');
    const custom = questionAt(sections, 'ind.outputQuality[2].direction');
    expect(custom?.section.group).toBe('ind.outputQuality');
    expect(custom?.index).toBe(2);
    expect(custom?.question.options).toEqual(['正向', '反向', '等于', '定性']);
  });

  it('knows no question for paths the template does not have', () => {
    expect(questionAt(sections, 'project.colour')).toBeUndefined();
    expect(questionAt(sections, 'ind.noSuchIndicator.score')).toBeUndefined();
    expect(questionAt(sections, 'project[0].name')).toBeUndefined();
    expect(questionAt(sections, 'lineItems.budget')).toBeUndefined();
  });

  it('finds no fault in the example', () => {
    expect(validateAnswerTypes(sections, seedAnswers())).toEqual([]);
  });

  it('reports a string where money is expected', () => {
    const faults = validateAnswerTypes(sections, { ...seedAnswers(), 'lineItems[0].budget': '273.45万元' });
    expect(faults).toHaveLength(1);
    expect(faults[0]).toContain('answers.lineItems[0].budget');
    expect(faults[0]).toContain('应为数字');
  });

  it('reports an option not in the list', () => {
    const faults = validateAnswerTypes(sections, { ...seedAnswers(), 'project.type': '临时项目' });
    expect(faults).toHaveLength(1);
    expect(faults[0]).toContain('answers.project.type');
    expect(faults[0]).toContain('经常性项目、一次性项目');
    expect(faults[0]).toContain('临时项目');
  });

  it('reports a number too large to compute exactly, instead of crashing later', () => {
    const faults = validateAnswerTypes(sections, {
      ...seedAnswers(),
      'lineItems[0].budget': 1e30,
      'ind.outputQuantity[0].actual': 1e21,
      'weights.decision': 1e25,
    });
    expect(faults).toHaveLength(3);
    for (const f of faults) expect(f).toContain('太大');
  });

  it('reports an unknown path, a number where text is expected, a score over the weight and a non-number weight', () => {
    const faults = validateAnswerTypes(sections, {
      ...seedAnswers(),
      'project.colour': '红',
      'project.name': 42,
      'ind.executionRate.score': 3,
      'weights.decision': '40',
    });
    expect(faults).toHaveLength(4);
    expect(faults.join('\n')).toContain('answers.project.colour: 模板里没有这一题');
    expect(faults.join('\n')).toContain('answers.project.name');
    expect(faults.join('\n')).toMatch(/answers\.ind\.executionRate\.score: .*不能大于2/);
    expect(faults.join('\n')).toContain('answers.weights.decision: 应为数字');
  });
});
