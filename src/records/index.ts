/** Reading comment records: streaming CSV and JSONL with per-record skips. */
export * from './types';
export { readRecords, formatFromPath, formatFromText } from './read';
export { CsvParser } from './csv';
export { JsonlParser } from './jsonl';
export { decodeStream } from './decode';
export { decodeWindows1252 } from '../encoding';
export { RecordWriter, csvLine, writeFileAtomic, tempPathFor, type FieldValue } from './write';
