/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
    // htmlparser2 and its DOM packages (and cookie, used by fastify inject) ship ES modules only: compile them to CommonJS for jest
    '/node_modules/(htmlparser2|domhandler|domutils|domelementtype|entities|dom-serializer|cookie)/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(htmlparser2|domhandler|domutils|domelementtype|entities|dom-serializer|cookie)/)'],
  testTimeout: 120000,
};
