// Environment configuration for the Node runtime, validated once at start-up.
// Every message names the variable and where to find its value in the Lark
// developer console, because the person reading it is usually setting up the bot
// for the first time.
import { z } from 'zod';

export type LarkMode = 'ws' | 'webhook';

export interface Env {
  larkAppId: string;
  larkAppSecret: string;
  larkEncryptKey?: string;
  larkVerificationToken?: string;
  larkDomain: string;
  larkMode: LarkMode;
  port: number;
  dbPath: string;
  adminOpenIds: string[];
}

const WHERE_CREDENTIALS = '飞书开发者后台 → 你的应用 → 凭证与基础信息';
const WHERE_ENCRYPTION = '飞书开发者后台 → 你的应用 → 事件与回调 → 加密策略';

/** Where each variable comes from, in words a first-time admin can follow. */
export const ENV_HELP: Record<string, string> = {
  LARK_APP_ID: `应用的 App ID（形如 cli_xxxxxxxxxxxxxxxx），见 ${WHERE_CREDENTIALS}`,
  LARK_APP_SECRET: `应用的 App Secret，见 ${WHERE_CREDENTIALS}`,
  LARK_ENCRYPT_KEY: `Encrypt Key（事件加密密钥），见 ${WHERE_ENCRYPTION}；webhook 模式必填，用于校验请求签名`,
  LARK_VERIFICATION_TOKEN: `Verification Token，见 ${WHERE_ENCRYPTION}`,
  LARK_DOMAIN: '开放平台地址：飞书填 https://open.feishu.cn（默认），Lark 国际版填 https://open.larksuite.com',
  LARK_MODE: '接收事件的方式：ws（长连接，默认，无需公网地址）或 webhook（需在 事件与回调 中配置请求地址）',
  PORT: 'webhook 模式监听的端口，默认 8787',
  DB_PATH: 'SQLite 数据库文件路径，默认 ./data/jixiao.sqlite',
  ADMIN_OPEN_IDS: '管理员的 open_id，多个用英文逗号分隔（可选）',
};

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = (schema: z.ZodType) => z.preprocess(blankToUndefined, schema.optional());

const schema = z
  .object({
    LARK_APP_ID: z.preprocess(blankToUndefined, z.string().regex(/^cli_[0-9A-Za-z]+$/, '应以 cli_ 开头')),
    LARK_APP_SECRET: z.preprocess(blankToUndefined, z.string().min(8, '长度不对')),
    LARK_ENCRYPT_KEY: opt(z.string()),
    LARK_VERIFICATION_TOKEN: opt(z.string()),
    LARK_DOMAIN: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^https?:\/\/[^\s/]+(:\d+)?\/?$/, '应为 http(s):// 开头的地址，例如 https://open.feishu.cn')
        .default('https://open.feishu.cn'),
    ),
    LARK_MODE: z.preprocess(blankToUndefined, z.enum(['ws', 'webhook'], '只能是 ws 或 webhook').default('ws')),
    PORT: z.preprocess(blankToUndefined, z.coerce.number().int('应为整数').min(1).max(65535).default(8787)),
    DB_PATH: z.preprocess(blankToUndefined, z.string().default('./data/jixiao.sqlite')),
    ADMIN_OPEN_IDS: opt(z.string()),
  })
  .superRefine((v, ctx) => {
    // Webhook requests come over the open internet: without the Encrypt Key we
    // could not check their signatures, so anyone could pose as Lark.
    if (v.LARK_MODE === 'webhook' && !v.LARK_ENCRYPT_KEY) {
      ctx.addIssue({ code: 'custom', path: ['LARK_ENCRYPT_KEY'], message: 'webhook 模式下必填' });
    }
    if (v.LARK_MODE === 'webhook' && !v.LARK_VERIFICATION_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['LARK_VERIFICATION_TOKEN'], message: 'webhook 模式下必填' });
    }
  });

/** Thrown with every problem found, one line per variable, in Chinese. */
export class EnvError extends Error {
  constructor(
    readonly problems: { variable: string; message: string }[],
  ) {
    super(
      ['环境变量配置有误：', ...problems.map((p) => `  - ${p.variable}：${p.message}。${ENV_HELP[p.variable] ?? ''}`)].join('\n'),
    );
    this.name = 'EnvError';
  }

  /** The variables that are absent (not merely malformed). */
  get missing(): string[] {
    return this.problems.filter((p) => p.message.startsWith('缺少') || p.message.includes('必填')).map((p) => p.variable);
  }
}

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const seen = new Set<string>();
    const problems: { variable: string; message: string }[] = [];
    for (const issue of result.error.issues) {
      const variable = String(issue.path[0] ?? '');
      if (seen.has(variable)) continue;
      seen.add(variable);
      const absent = blankToUndefined(source[variable]) === undefined;
      problems.push({ variable, message: absent && issue.code !== 'custom' ? '缺少该变量' : issue.code === 'custom' ? issue.message : `格式不对（${issue.message}）` });
    }
    throw new EnvError(problems);
  }
  const v = result.data as z.infer<typeof schema> & { LARK_DOMAIN: string; LARK_MODE: LarkMode; PORT: number; DB_PATH: string };
  return {
    larkAppId: v.LARK_APP_ID as string,
    larkAppSecret: v.LARK_APP_SECRET as string,
    larkEncryptKey: v.LARK_ENCRYPT_KEY as string | undefined,
    larkVerificationToken: v.LARK_VERIFICATION_TOKEN as string | undefined,
    larkDomain: v.LARK_DOMAIN.replace(/\/$/, ''),
    larkMode: v.LARK_MODE,
    port: v.PORT,
    dbPath: v.DB_PATH,
    adminOpenIds: ((v.ADMIN_OPEN_IDS as string | undefined) ?? '')
      .split(/[,，]/)
      .map((s) => s.trim())
      .filter(Boolean),
  };
}
