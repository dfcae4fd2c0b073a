// What a document reads as, whatever its format: paragraphs and tables of cell text,
// in document order. Word and Excel readers produce this; the matcher reads only this.

export type Block = { type: 'paragraph'; text: string } | { type: 'table'; rows: string[][] };

export interface ReadDocument {
  blocks: Block[];
}
