export * from './tokenize';
export * from './features';
export { foldChars, foldLeet, joinSeparatedLetters } from './normalize';
