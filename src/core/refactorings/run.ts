// Kept so older imports keep working: the one refactoring registry is registry.ts (issue 16).
export { extractFunctionChoices, proposeRefactoring, REFACTORINGS, type RefactoringName, type RefactoringParams } from './registry';
