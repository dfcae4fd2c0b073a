// Rich-text ("post") messages: what Lark sends for text pasted from Word or typed
// in the rich editor. Turned into plain text: paragraphs become lines, @-mentions
// keep their key (@_user_1, replaced by names like in text messages), and the
// elements that are not text are named so the reply can say they were not read.

type PostElement = { tag?: unknown; text?: unknown; user_id?: unknown; user_name?: unknown; href?: unknown };
type PostBody = { title?: unknown; content?: unknown };

const NOT_TEXT: Record<string, string> = { img: '图片', media: '视频', file: '文件', audio: '语音', sticker: '表情包' };

export interface PostText {
  text: string;
  /** Names of the non-text elements, once each (图片, 视频…). */
  dropped: string[];
}

/** The post's body; received posts are `{title, content}`, sent ones may be keyed by language. */
function bodyOf(parsed: unknown): PostBody | undefined {
  if (!parsed || typeof parsed !== 'object') return undefined;
  const o = parsed as Record<string, unknown>;
  if (Array.isArray(o.content)) return o as PostBody;
  for (const lang of ['zh_cn', 'en_us', 'ja_jp', ...Object.keys(o)]) {
    const v = o[lang] as PostBody | undefined;
    if (v && typeof v === 'object' && Array.isArray(v.content)) return v;
  }
  return undefined;
}

export function postToText(content: string | undefined): PostText | undefined {
  if (!content) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return undefined;
  }
  const body = bodyOf(parsed);
  if (!body) return undefined;
  const dropped = new Set<string>();
  const lines: string[] = [];
  if (typeof body.title === 'string' && body.title.trim()) lines.push(body.title.trim());
  for (const paragraph of body.content as unknown[]) {
    if (!Array.isArray(paragraph)) continue;
    let line = '';
    for (const raw of paragraph as PostElement[]) {
      if (!raw || typeof raw !== 'object') continue;
      const tag = String(raw.tag ?? '');
      if (tag === 'text' || tag === 'a' || tag === 'code_block' || tag === 'md') line += typeof raw.text === 'string' ? raw.text : '';
      else if (tag === 'at') line += typeof raw.user_id === 'string' ? (raw.user_id.startsWith('@') ? raw.user_id : `@${String(raw.user_name ?? raw.user_id)}`) : '';
      else if (tag === 'hr') {
        lines.push(line);
        line = '';
      } else if (tag === 'emotion') continue; // an inline emoji: nothing anyone answers with
      else dropped.add(NOT_TEXT[tag] ?? '其他内容');
    }
    lines.push(line);
  }
  return { text: lines.join('\n'), dropped: [...dropped] };
}
