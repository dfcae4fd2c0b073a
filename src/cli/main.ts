// The command line: `npm run --silent cli -- <command> …`. Each command is a small
// module; this file only dispatches and turns user mistakes into exit code 2.
import { readEvaluation, readJson, UsageError } from './io';
import { runScore } from './score';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTemplate } from '../domain/registry';
import { type Template, templateJsonSchema } from '../domain/template';
import { indexSource, templateFolders, templatesDir } from '../templates/folder';

const usage = `用法：
  npm run --silent cli -- score <答案.json> [--json] [--rules-only]   计算得分、比率、审核提示和问题清单
  npm run --silent cli -- check <模板.json 或 templates 目录>          检查模板文件（目录：检查其中每个模板）
  npm run --silent cli -- templates                                    按 templates/ 目录重新生成 templates/index.ts（Workers 打包用）
  npm run --silent cli -- render <答案.json> --out <目录>             生成评价表、绩效评价报告、问题清单（.docx）
  npm run --silent cli -- reminders --at <时间> [--json]              列出该时刻会发出的提醒（不发送）
 npm run --silent cli -- import <文件> [--template <编号>] [--json]    读 Word/Excel 文件，列出能填入的答案（不保存）
  npm run --silent cli -- schema                                       输出模板的 JSON Schema`;

type Command = (args: string[]) => Promise<string> | string;

const commands: Record<string, Command> = {
  score(args) {
    const file = args.find((a) => !a.startsWith('--'));
    if (!file) throw new UsageError('缺少答案文件。\n' + usage);
    const { file: evaluation, template } = readEvaluation(file);
    return runScore(template, evaluation, { json: args.includes('--json'), rulesOnly: args.includes('--rules-only') });
  },
  check(args) {
    const file = args.find((a) => !a.startsWith('--'));
    if (!file) throw new UsageError('缺少模板文件。\n' + usage);
    const files = isDirectory(file) ? templateFolders(file).map((f) => join(file, f, 'template.json')) : [file];
    if (!files.length) throw new UsageError(`${file} 下没有 <模板编号>/template.json`);
    const faults: string[] = [];
    const fine: string[] = [];
    for (const f of files) {
      const r = parseTemplate(readJson(f));
      if (r.ok) fine.push(`${f} 没有问题：${describeTemplate(r.template)}`);
      else faults.push(`${f} 有 ${r.issues.length} 处问题：\n${r.issues.map((i) => `  ${i}`).join('\n')}`);
    }
    if (faults.length) throw new UsageError([...faults, ...fine].join('\n'));
    return fine.join('\n');
  },
  templates() {
    const target = join(templatesDir, 'index.ts');
    writeFileSync(target, indexSource());
    return `已按 ${templateFolders().length} 个模板文件夹重新生成 ${target}`;
  },
  schema() {
    return JSON.stringify(templateJsonSchema(), null, 2);
  },
};

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a missing file is reported by readJson, in Chinese
  }
}

function describeTemplate(t: Template): string {
  const count = t.sections.reduce((n, s) => n + s.questions.length, 0);
  return `${t.title}（${t.year}，第${t.version}版），${t.sections.length}个部分、${count}个问题、${t.indicators.length}个一级指标。`;
}

/** Later modules register their commands here (render, reminders). */
export function registerCommand(name: string, fn: Command): void {
  commands[name] = fn;
}
registerCommand('render', (args) => import('./render').then((m) => m.renderCommand(args)));
registerCommand('reminders', (args) => import('./reminders').then((m) => m.remindersCommand(args)));
registerCommand('import', (args) => import('./import').then((m) => m.importCommand(args)));

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const cmd = name ? commands[name] : undefined;
  if (!cmd) {
    process.stderr.write(`${name ? `不认识的命令“${name}”。\n` : ''}${usage}\n`);
    return 2;
  }
  try {
    process.stdout.write(`${await cmd(args)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (process.argv[1] && /cli[\\/]main\.(ts|js)$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
