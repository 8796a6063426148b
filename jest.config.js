/** @type {import('jest').Config} */
const tsJest = ['ts-jest', { isolatedModules: true, tsconfig: { allowJs: true, target: 'es2022', module: 'commonjs', esModuleInterop: true } }];
// htmlparser2 and its DOM packages (and cookie, used by fastify inject) ship ES modules only: compile them to CommonJS for jest
const ESM_ONLY = 'htmlparser2|domhandler|domutils|domelementtype|entities|dom-serializer|cookie';
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.tsx?$': tsJest,
    [`/node_modules/(${ESM_ONLY})/.+\\.js$`]: tsJest,
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY})/)`],
  testTimeout: 120000,
};
