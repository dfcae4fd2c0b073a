import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from '../../src/config/env';

const base = { LARK_APP_ID: 'cli_a1b2c3d4e5f60708', LARK_APP_SECRET: 'abcdefghijklmnop' };

describe('loadEnv', () => {
  it('fills defaults for long-connection mode', () => {
    expect(loadEnv(base)).toEqual({
      larkAppId: 'cli_a1b2c3d4e5f60708',
      larkAppSecret: 'abcdefghijklmnop',
      larkEncryptKey: undefined,
      larkVerificationToken: undefined,
      larkDomain: 'https://open.feishu.cn',
      larkMode: 'ws',
      port: 8787,
      dbPath: './data/jixiao.sqlite',
      adminOpenIds: [],
    });
  });

  it('reads every variable', () => {
    const env = loadEnv({
      ...base,
      LARK_ENCRYPT_KEY: 'ek',
      LARK_VERIFICATION_TOKEN: 'vt',
      LARK_DOMAIN: 'http://127.0.0.1:9999/',
      LARK_MODE: 'webhook',
      PORT: '3000',
      DB_PATH: '/tmp/x.sqlite',
      ADMIN_OPEN_IDS: 'ou_a, ou_b，ou_c',
    });
    expect(env).toMatchObject({ larkDomain: 'http://127.0.0.1:9999', larkMode: 'webhook', port: 3000, dbPath: '/tmp/x.sqlite', adminOpenIds: ['ou_a', 'ou_b', 'ou_c'] });
  });

  it('names what is missing and where to find it', () => {
    try {
      loadEnv({});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EnvError);
      const err = e as EnvError;
      expect(err.missing).toEqual(['LARK_APP_ID', 'LARK_APP_SECRET']);
      expect(err.message).toContain('LARK_APP_ID：缺少该变量');
      expect(err.message).toContain('凭证与基础信息');
    }
  });

  it('requires the Encrypt Key and token in webhook mode, and says where they are', () => {
    const err = (() => {
      try {
        loadEnv({ ...base, LARK_MODE: 'webhook' });
      } catch (e) {
        return e as EnvError;
      }
    })()!;
    expect(err.missing).toEqual(['LARK_ENCRYPT_KEY', 'LARK_VERIFICATION_TOKEN']);
    expect(err.message).toContain('事件与回调 → 加密策略');
  });

  it('refuses malformed values', () => {
    expect(() => loadEnv({ ...base, LARK_DOMAIN: 'open.feishu.cn' })).toThrow(/LARK_DOMAIN：格式不对/);
    expect(() => loadEnv({ ...base, LARK_MODE: 'http' })).toThrow(/LARK_MODE/);
    expect(() => loadEnv({ ...base, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadEnv({ ...base, LARK_APP_ID: 'app123' })).toThrow(/LARK_APP_ID：格式不对/);
  });
});
