import { describe, expect, it } from 'vitest';
import {
  formatAnswer,
  parseAnswer,
  parseChineseNumber,
  parseChoice,
  parseCount,
  parseDate,
  parseLongText,
  parseMoney,
  parseNumber,
  parsePercent,
  parsePhone,
  parseScore,
  parseText,
  parseYear,
  toHalfWidth,
  type ParseResult,
} from '../../src/domain/parse';

function value(r: ParseResult<unknown>): unknown {
  if (!r.ok) throw new Error(`refused: ${r.message}`);
  return r.value;
}

function message(r: ParseResult<unknown>): string {
  if (r.ok) throw new Error(`accepted: ${JSON.stringify(r.value)}`);
  return r.message;
}

describe('toHalfWidth', () => {
  it('maps full-width ASCII and the ideographic space', () => {
    expect(toHalfWidth('２７３．４５％，（Ａｂ）\u3000！～')).toBe('273.45%,(Ab) !~');
  });
  it('leaves other characters alone', () => {
    expect(toHalfWidth('万元 abc 😀')).toBe('万元 abc 😀');
  });
});

describe('parseChineseNumber', () => {
  it.each([
    ['十二', 12],
    ['二十', 20],
    ['一百零五', 105],
    ['三千二百', 3200],
    ['三千二', 3200],
    ['两万', 20000],
    ['两万五', 25000],
    ['一点五', 1.5],
    ['零', 0],
    ['十', 10],
    ['十万', 100000],
    ['一千零一', 1001],
    ['一亿零五百万', 105000000],
    ['一万二千三百四十五', 12345],
    ['壹佰贰拾', 120],
    ['二〇二四', 2024],
    ['12万3千', 123000],
  ])('%s → %d', (s, n) => {
    expect(parseChineseNumber(s)).toBe(n);
  });
  it.each(['', '十十', '一二百', '万', 'abc', '一点', '点五', '百零'])('refuses %j', (s) => {
    expect(parseChineseNumber(s)).toBeUndefined();
  });
});

describe('parseMoney', () => {
  it.each([
    ['273.45', 273.45],
    ['273.45万', 273.45],
    ['273.45万元', 273.45],
    ['2,734,500元', 273.45],
    ['２７３．４５', 273.45],
    ['1.2亿', 12000],
    ['1.2亿元', 12000],
    ['二十万', 20],
    ['二十万元', 20],
    ['二十', 20],
    ['273.45 万元', 273.45],
    ['￥273.45万', 273.45],
    ['¥2734500元', 273.45],
    ['2,734,512元', 273.4512],
    ['2734512.01元', 273.451201],
    ['0.000001', 0.000001],
    ['0', 0],
    ['0元', 0],
    ['10000000', 1e7],
    ['273.45万元。', 273.45],
  ])('%j → %d', (s, n) => {
    expect(value(parseMoney(s))).toBe(n);
  });

  it.each(['abc', '273.45.1', '1,23', '万元', '12a'])('does not understand %j and shows an example', (s) => {
    expect(message(parseMoney(s))).toBe('没看懂这个金额。请按万元填写，例如：273.45 或 273.45万元');
  });
  it.each(['约200万', '大约200万元', '200万左右', '200多万'])('asks for the exact figure instead of %j', (s) => {
    expect(message(parseMoney(s))).toMatch(/准确.*例如：/);
  });
  it('refuses negatives', () => {
    expect(message(parseMoney('-5'))).toMatch(/负数.*例如：273\.45/);
    expect(message(parseMoney('负五万元'))).toMatch(/负数/);
  });
  it('refuses more precision than one fen', () => {
    expect(message(parseMoney('1.0000001'))).toMatch(/精确到分.*例如：/);
    expect(message(parseMoney('12.345元'))).toMatch(/精确到分/);
  });
  it('refuses absurd amounts, with a configurable bound', () => {
    expect(message(parseMoney('20000000'))).toMatch(/超过.*例如：/);
    expect(message(parseMoney('2000亿'))).toMatch(/超过/);
    expect(message(parseMoney('600', { max: 500 }))).toMatch(/超过了 500 万元/);
    expect(value(parseMoney('500', { max: 500 }))).toBe(500);
  });
  it('shows the question’s own example when it has one', () => {
    expect(message(parseMoney('abc', { example: '150.5' }))).toMatch(/例如：150\.5$/);
  });
  it('formats with at least two decimals', () => {
    expect(formatAnswer('money', 273.45)).toBe('273.45');
    expect(formatAnswer('money', 20)).toBe('20.00');
    expect(formatAnswer('money', 273.4512)).toBe('273.4512');
    expect(formatAnswer('money', 0.000001)).toBe('0.000001');
  });
});

describe('parsePercent', () => {
  it.each([
    ['75%', 75],
    ['75.15％', 75.15],
    ['百分之九十五', 95],
    ['百分之七十五点一五', 75.15],
    ['75.15 %', 75.15],
    ['75', 75],
    ['1.5', 1.5],
    ['1', 1],
    ['0', 0],
    ['0.75%', 0.75],
    ['1000%', 1000],
    ['九十五', 95],
  ])('%j → %d', (s, n) => {
    expect(value(parsePercent(s))).toBe(n);
  });
  it('asks back on a bare fraction-like number', () => {
    expect(parsePercent('0.75')).toEqual({
      ok: false,
      ambiguous: true,
      message: '“0.75”是指 0.75% 还是 75%？请带上百分号再答一次，例如：75%',
    });
    expect(parsePercent('0.7515')).toMatchObject({ ok: false, ambiguous: true });
    expect(parsePercent('1.0')).toMatchObject({ ok: false, ambiguous: true });
  });
  it('refuses negatives, too large values and too many decimals, with an example', () => {
    expect(message(parsePercent('-5%'))).toMatch(/负数.*例如：75\.15%/);
    expect(message(parsePercent('1000.01%'))).toMatch(/1000%.*例如：/);
    expect(message(parsePercent('75.155%'))).toMatch(/两位小数.*例如：75\.15%/);
    expect(message(parsePercent('很高'))).toMatch(/没看懂.*例如：/);
  });
  it('formats with a percent sign', () => {
    expect(formatAnswer('percent', 75.15)).toBe('75.15%');
    expect(formatAnswer('percent', 75)).toBe('75%');
    expect(formatAnswer('percent', 0.5)).toBe('0.5%');
  });
});

describe('parseDate', () => {
  it.each([
    ['2025-05-31', '2025-05-31'],
    ['2025年5月31日', '2025-05-31'],
    ['2025年5月31号', '2025-05-31'],
    ['2025/5/31', '2025-05-31'],
    ['2025.5.31', '2025-05-31'],
    ['20250531', '2025-05-31'],
    ['２０２５－０５－３１', '2025-05-31'],
    ['2025 年 5 月 31 日', '2025-05-31'],
    ['二〇二五年五月三十一日', '2025-05-31'],
    ['2024-02-29', '2024-02-29'],
    ['2025年5月', '2025-05'],
    ['2025-05', '2025-05'],
  ])('%j → %s', (s, d) => {
    expect(value(parseDate(s))).toBe(d);
  });
  it('takes the year from the context for month-day dates', () => {
    expect(value(parseDate('5月31日', { year: 2025 }))).toBe('2025-05-31');
    expect(value(parseDate('5/31', { year: 2025 }))).toBe('2025-05-31');
    expect(value(parseDate('１２月１日', { year: 2024 }))).toBe('2024-12-01');
  });
  it('asks for the year when it is unknown', () => {
    expect(message(parseDate('5月31日'))).toMatch(/年份.*例如：/);
  });
  it('refuses invalid calendar dates', () => {
    expect(message(parseDate('2025-02-30'))).toMatch(/没有 30 日.*例如：/);
    expect(message(parseDate('2025-02-29'))).toMatch(/没有 29 日/);
    expect(message(parseDate('2025-13-01'))).toMatch(/没有 13 月/);
    expect(message(parseDate('明天'))).toMatch(/没看懂.*例如：2025-05-31/);
  });
  it('uses the evaluation year in its example', () => {
    expect(message(parseDate('哪天', { year: 2024 }))).toMatch(/例如：2024-05-31/);
  });
});

describe('parseChoice', () => {
  const yesNo = { options: ['是', '否'] };
  const reached = { options: ['达成', '部分达成', '未达成'] };
  it('accepts the exact text and the text with different spacing or width', () => {
    expect(value(parseChoice('部分达成', reached))).toBe('部分达成');
    expect(value(parseChoice(' 部分 达成 ', reached))).toBe('部分达成');
    expect(value(parseChoice('ＡＢＣ', { options: ['abc', 'def'] }))).toBe('abc');
  });
  it.each(['2', '２', '第2个', '②', '第二个', '二', '(2)'])('accepts the number %j', (s) => {
    expect(value(parseChoice(s, reached))).toBe('部分达成');
  });
  it.each(['是', '对', '√', '✓', '有', 'yes', 'Y'])('takes %j as yes', (s) => {
    expect(value(parseChoice(s, yesNo))).toBe('是');
    expect(value(parseChoice(s, reached))).toBe('达成');
  });
  it.each(['否', '×', '无', '不', 'no', 'N'])('takes %j as no', (s) => {
    expect(value(parseChoice(s, yesNo))).toBe('否');
    expect(value(parseChoice(s, reached))).toBe('未达成');
  });
  it('takes 部分 as the partial option', () => {
    expect(value(parseChoice('部分', reached))).toBe('部分达成');
    expect(value(parseChoice('部分', { options: ['是', '部分', '否'] }))).toBe('部分');
  });
  it('accepts a unique prefix or fragment', () => {
    const opts = { options: ['政府采购', '公开招标', '其他方式'] };
    expect(value(parseChoice('公开', opts))).toBe('公开招标');
    expect(value(parseChoice('采购', opts))).toBe('政府采购');
    expect(value(parseChoice('我选部分达成', reached))).toBe('部分达成');
  });
  it('lists the numbered options when the answer is unknown', () => {
    expect(message(parseChoice('也许', yesNo))).toBe('没有找到这个选项。请回复序号或选项文字：\n1. 是\n2. 否\n例如：1 或 是');
    expect(message(parseChoice('5', yesNo))).toMatch(/没有第 5 个选项[\s\S]*1\. 是\n2\. 否/);
  });
  it('marks several matching fragments as ambiguous', () => {
    const r = parseChoice('方式', { options: ['采购方式一', '采购方式二'] });
    expect(r).toMatchObject({ ok: false, ambiguous: true });
  });
});

describe('parseCount', () => {
  it.each([
    ['12', 12],
    ['十二', 12],
    ['十二个', 12],
    ['12个', 12],
    ['１２项', 12],
    ['两千', 2000],
    ['0', 0],
    ['1,200人次', 1200],
    ['1.2万', 12000],
  ])('%j → %d', (s, n) => {
    expect(value(parseCount(s))).toBe(n);
  });
  it('refuses decimals, negatives and text with an example', () => {
    expect(message(parseCount('1.5'))).toMatch(/整数.*例如：12/);
    expect(message(parseCount('-3'))).toMatch(/负数.*例如：12/);
    expect(message(parseCount('很多'))).toMatch(/例如：12/);
    expect(message(parseCount('约12个'))).toMatch(/准确/);
  });
});

describe('parseNumber', () => {
  it.each([
    ['95', 95],
    ['95.5', 95.5],
    ['１２', 12],
    ['十二', 12],
    ['95%', 95],
    ['1,234.5', 1234.5],
    ['-3.5', -3.5],
    ['3公里', 3],
    ['1e-7', 1e-7],
  ])('%j → %d', (s, n) => {
    expect(value(parseNumber(s))).toBe(n);
  });
  it('refuses text with an example', () => {
    expect(message(parseNumber('很好'))).toMatch(/没看懂.*例如：95/);
    expect(message(parseNumber('95abc'))).toMatch(/没看懂/);
  });
});

describe('parseScore', () => {
  it.each([
    ['5', 5],
    ['4.5分', 4.5],
    ['４．５', 4.5],
    ['五分', 5],
    ['0', 0],
    ['4.75', 4.75],
  ])('%j → %d', (s, n) => {
    expect(value(parseScore(s, { weight: 5 }))).toBe(n);
  });
  it('refuses scores outside 0..weight', () => {
    expect(message(parseScore('6', { weight: 5 }))).toMatch(/得分要在 0 到 5 分之间.*例如：5/);
    expect(message(parseScore('-1', { weight: 5 }))).toMatch(/得分要在 0 到 5 分之间/);
  });
  it('refuses more than two decimals', () => {
    expect(message(parseScore('4.555', { weight: 5 }))).toMatch(/两位小数.*例如：/);
  });
});

describe('parsePhone', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['１３８１２３４５６７８', '13812345678'],
    ['0871-63123456', '0871-63123456'],
    ['0871 63123456', '0871-63123456'],
    ['(0871)63123456', '0871-63123456'],
    ['（0871）63123456', '0871-63123456'],
    ['087163123456', '0871-63123456'],
    ['010-62345678', '010-62345678'],
    ['0871-63123456转123', '0871-63123456转123'],
    ['0871-63123456 分机 123', '0871-63123456转123'],
  ])('%j → %s', (s, p) => {
    expect(value(parsePhone(s))).toBe(p);
  });
  it('refuses anything else with an example', () => {
    expect(message(parsePhone('63123456'))).toMatch(/区号.*例如：/);
    expect(message(parsePhone('1381234567'))).toMatch(/11 位.*例如：13812345678/);
    expect(message(parsePhone('打我电话'))).toMatch(/例如：13812345678 或 0871-63123456/);
  });
});

describe('parseYear', () => {
  it.each([
    ['2024', 2024],
    ['2024年', 2024],
    ['2024年度', 2024],
    ['二〇二四', 2024],
    ['二零二四年', 2024],
    ['２０２４', 2024],
  ])('%j → %d', (s, n) => {
    expect(value(parseYear(s))).toBe(n);
  });
  it('refuses years outside 2000..2100', () => {
    expect(message(parseYear('1999'))).toMatch(/2000 到 2100.*例如：2025/);
    expect(message(parseYear('去年'))).toMatch(/例如：2025/);
  });
});

describe('parseText and parseLongText', () => {
  it('trims one-line text and joins stray lines', () => {
    expect(value(parseText('  云南省财政厅  '))).toBe('云南省财政厅');
    expect(value(parseText('第一行\r\n第二行'))).toBe('第一行 第二行');
  });
  it('refuses blank and over-long text', () => {
    expect(message(parseText('   '))).toMatch(/^这一题不能空着.*例如：/);
    expect(message(parseText('字'.repeat(501)))).toMatch(/500 字.*501 字/);
    expect(value(parseText('字'.repeat(500)))).toHaveLength(500);
  });
  it('keeps line breaks in long text', () => {
    expect(value(parseLongText('\r\n 第一段\r\n第二段\n\n第三段 \n'))).toBe('第一段\n第二段\n\n第三段');
    expect(message(parseLongText('\n\n'))).toMatch(/不能空着/);
    expect(message(parseLongText('字'.repeat(20001)))).toMatch(/20000 字/);
  });
  it('names the question when a label is given', () => {
    expect(message(parseText('', { label: '项目名称' }))).toMatch(/^“项目名称”不能空着/);
  });
});

describe('parseAnswer', () => {
  const kinds = ['text', 'longText', 'money', 'percent', 'date', 'choice', 'count', 'number', 'score', 'phone', 'year'] as const;
  it.each(kinds)('refuses empty input for %s with a clear message', (kind) => {
    const r = parseAnswer(kind, '  ', { options: ['是', '否'], weight: 5 });
    expect(r.ok).toBe(false);
    expect(message(r)).toMatch(/还没有回答|不能空着/);
    expect(message(r)).toMatch(/例如：/);
  });
  it.each(kinds)('survives hostile input for %s', (kind) => {
    for (const s of ['<>&"', '😀😀', 'x'.repeat(5000), '9'.repeat(5000), '\u0000', '一'.repeat(3000)]) {
      const r = parseAnswer(kind, s, { options: ['是', '否'] });
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
    }
  });
  it('dispatches by kind', () => {
    expect(parseAnswer('money', '1.2亿')).toEqual({ ok: true, value: 12000 });
    expect(parseAnswer('choice', '1', { options: ['是', '否'] })).toEqual({ ok: true, value: '是' });
    expect(parseAnswer('date', '5月31日', { year: 2025 })).toEqual({ ok: true, value: '2025-05-31' });
  });
  it('formats values so that they parse back', () => {
    const cases: [Parameters<typeof formatAnswer>[0], number | string][] = [
      ['money', 273.45],
      ['percent', 75.15],
      ['date', '2025-05'],
      ['count', 12],
      ['number', -3.5],
      ['score', 4.5],
      ['phone', '0871-63123456转123'],
      ['year', 2024],
      ['text', '你好'],
      ['longText', '甲\n乙'],
    ];
    for (const [kind, v] of cases) expect(parseAnswer(kind, formatAnswer(kind, v), { weight: 5 })).toEqual({ ok: true, value: v });
  });
});
