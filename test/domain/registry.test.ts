// Templates are found, not imported: every templates/<id>/ folder is a template, the
// bundled index (for Workers) is what the folder generates, and a template whose
// weights do not add up is refused with the place named.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTemplate, registryOf, templates } from '../../src/domain/registry';
import { indexSource, nodeRegistry, readTemplateFolder, templatesDir } from '../../src/templates/folder';
import { exampleFile, rawTemplate } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'jixiao-templates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeTemplate(root: string, id: string, json: any, example?: any) {
  mkdirSync(join(root, id), { recursive: true });
  writeFileSync(join(root, id, 'template.json'), JSON.stringify(json));
  if (example) writeFileSync(join(root, id, 'example.json'), JSON.stringify(example));
}

describe('the templates folder', () => {
  it('templates/index.ts is what the folder generates (run `npm run templates` after adding a folder)', () => {
    expect(readFileSync(join(templatesDir, 'index.ts'), 'utf8')).toBe(indexSource());
  });

  it('the bundled registry and the folder agree', () => {
    expect(nodeRegistry().templates.map((t) => `${t.id}@${t.version}`)).toEqual(templates.map((t) => `${t.id}@${t.version}`));
  });

  it('a new folder is a new template, with its example, and no code change', () => {
    const root = join(dir, 'added');
    const t = rawTemplate();
    t.id = 'kunming-2025';
    t.title = '昆明市项目支出绩效评价表';
    writeTemplate(root, 'wuhua-2024', rawTemplate(), exampleFile());
    writeTemplate(root, 'kunming-2025', t, { ...exampleFile(), template: 'kunming-2025' });
    mkdirSync(join(root, 'notes')); // a folder without template.json is not a template
    const r = nodeRegistry(root);
    expect(r.templates.map((x) => x.id)).toEqual(['kunming-2025', 'wuhua-2024']);
    expect(r.findTemplate('kunming-2025', 1)?.title).toBe('昆明市项目支出绩效评价表');
    expect(r.examples['kunming-2025'].template).toBe('kunming-2025');
    expect(r.defaultTemplate().id).toBe('wuhua-2024');
    expect(indexSource(root)).toContain("import template0 from './kunming-2025/template.json';");
  });

  it('refuses a folder whose template names another id, or is faulty, naming the folder', () => {
    const root = join(dir, 'bad');
    writeTemplate(root, 'other', rawTemplate());
    expect(() => registryOf(readTemplateFolder(root))).toThrow(/templates\/other\/template.json 的 id 是“wuhua-2024”/);
    const t = rawTemplate();
    t.id = 'broken';
    t.grades = [];
    expect(() => registryOf([{ folder: 'broken', template: t }])).toThrow(/templates\/broken\/template.json 有误/);
  });
});

describe('weights must add up, and the check says where', () => {
  const issues = (change: (t: any) => void) => {
    const t = rawTemplate();
    change(t);
    const r = parseTemplate(t);
    return r.ok ? [] : r.issues;
  };

  it('三级 under a fixed 二级', () => {
    expect(
      issues((t) => {
        t.indicators[0].children[0].children[0].weight = 6; // 立项依据充分性 6 + 5 under 项目立项 10
      }),
    ).toEqual(['indicators.0.children.0.children: 二级指标“项目立项”分值10，其下三级指标合计11，应相等']);
  });

  it('all 一级 to 100', () => {
    expect(
      issues((t) => {
        t.indicators[2].children[0].weight = 15; // 产出数量 10 → 15
      }),
    ).toEqual(['indicators: 一级指标分值合计105（决策25+过程15+产出35+效益30），应为100']);
  });

  it('二级 under a fixed 一级', () => {
    expect(
      issues((t) => {
        t.indicators[1].weight = 20; // 过程 says 20, its 二级 make 15
      }),
    ).toEqual(['indicators.1.weight: 一级指标“过程”分值20，其下二级指标合计15，应相等', 'indicators: 一级指标分值合计105（决策25+过程20+产出30+效益30），应为100']);
  });

  it('a 二级 with no weight under a 一级 with none', () => {
    expect(
      issues((t) => {
        delete t.indicators[2].children[0].weight;
      }),
    ).toContain('indicators.2.children.0.weight: 二级指标“产出数量”没有分值，其一级指标“产出”也没有：至少一级要写分值');
  });
});
