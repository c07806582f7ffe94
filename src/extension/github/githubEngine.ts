// Entry of dist/github.js: Octokit and its plugins, loaded on the first "Open Pull Request" or CI
// poll (src/extension/github/githubService.ts), never at activation.
export * from '../../core/github';
