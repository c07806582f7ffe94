export { ScriptedProvider, scriptedSession, parseScript, type ScriptedTurn, type ScriptStep, type ScriptedProviderOptions } from './scripted';
