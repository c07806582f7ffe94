// Test generation: conventions, cases, the skeleton, and its run on an overlay copy.
export { detectConventions, testPathFor, FRAMEWORKS, type Framework, type TestConventions } from './conventions';
export { casesOf, type TestCase, type TestTarget } from './cases';
export { generateTests, type GeneratedTests, type GenTestsRequest } from './generate';
export { runGeneratedTest, unsavedOverlay, type TestRunRecord } from './run';
