// Characters nobody means to type: zero-width spaces and joiners, bidi marks and
// overrides, the BOM, and control characters (NUL, BEL, ESC…). Pasted text carries
// them; they made "进度\u200b" an unknown command and were stored and echoed.
// Dropped at the input boundary; line breaks and tabs stay.

// C0 except \t \n \r, DEL, C1; ZW space/non-joiner/joiner, LRM/RLM; bidi embeddings and
// overrides; word joiner and invisible operators; bidi isolates; ALM; Mongolian vowel
// separator; BOM / zero-width no-break space; interlinear annotation marks.
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u061c\u180e\ufeff\ufff9-\ufffb]/gu;

/** The text without invisible and control characters. Linear: one character class, no backtracking. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}
