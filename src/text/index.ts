export * from './tokenize';
export * from './features';
export { WordVectors } from './vectors';
export { foldChars, foldLeet, joinSeparatedLetters } from './normalize';
