// The seed's 评价表 as a block list: what a template without a `form` layout prints.
// A template that declares its own (the national 自评表) replaces it whole.
import type { FormLayout, Template } from '../domain/template';

export const seedFormLayout: FormLayout = {
  attachment: '附件1：',
  yearLine: '（{year}）年度',
  blocks: [
    {
      type: 'header',
      rows: [['project.name'], ['project.department', 'project.unit'], ['project.leader', 'project.phone'], ['project.type']],
      ticks: ['project.type'],
    },
    { type: 'funds' },
    { type: 'goals', label: '年度总体目标', planned: 'goals.planned', achieved: 'goals.achieved', columns: ['预期目标', '实际完成情况'] },
    {
      type: 'indicators',
      title: '二、绩效评价指标评分（参考）',
      columns: [
        { field: 'level1', label: '一级指标', width: 1600 },
        { field: 'level1Weight', label: '分值', width: 680 },
        { field: 'level2', label: '二级指标', width: 1400 },
        { field: 'level2Weight', label: '分值', width: 680 },
        { field: 'name', label: '三级指标', width: 3120 },
        { field: 'weight', label: '分值', width: 680 },
        { field: 'score', label: '得分', width: 680 },
      ],
      skipLevels: [],
      totalLabel: '总分',
    },
    { type: 'grade', label: '评价等次' },
    { type: 'text', label: '问题和建议', answer: 'conclusion.formSummary', generated: 'summary' },
    { type: 'people', label: '评价人员' },
    { type: 'signatures', signers: ['填报人（签字）：', '评价组组长（签字）：', '评价部门负责人（签字并盖章）：'] },
  ],
};

export function formLayoutOf(t: Template): FormLayout {
  return t.form ?? { ...seedFormLayout, note: t.formNote };
}
