// Loads dist/gateway.js (the agent gateway) on first use.
import type * as GatewayEngineModule from './gatewayEngine';
import { lazyBundle } from '../workspace/lazyBundle';

export type GatewayEngine = typeof GatewayEngineModule;

export const loadGateway = lazyBundle<GatewayEngine>('gateway.js', 'agent gateway', 'the agent gateway cannot start');
