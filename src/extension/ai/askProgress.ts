// What "Rusty: Ask…" shows while the model works: the streamed text per candidate and one line per
// agent or router event (tool calls, repair rounds with their reasons, retries, fallbacks), as the
// review panel's AskingView. Pure (no vscode): the panel and the tests read `view()`.
import type { AgentEvent } from '../../core/ai/agent/loop';
import type { SessionEvent } from '../../core/ai/router/session';
import type { AskEventView, AskingView } from '../../shared/proposalView';

/** The streamed text kept per candidate (its tail), and the event lines kept. */
export const MAX_STREAM_CHARS = 20_000;
export const MAX_EVENTS = 300;

export class AskProgress {
  private readonly state: AskingView;
  private listeners: (() => void)[] = [];

  constructor(task: string, scope: string, private readonly now: () => Date = () => new Date()) {
    this.state = { task, scope, state: 'running', startedAt: this.now().toISOString(), candidates: [], events: [] };
  }

  /** A finished (or interrupted) ask brought back from a restored panel's saved view. */
  static restored(view: AskingView): AskProgress {
    const p = new AskProgress(view.task, view.scope);
    Object.assign(p.state, { ...view, candidates: view.candidates.map((c) => ({ ...c })), events: [...view.events] });
    return p;
  }

  onChange(fn: () => void): () => void {
    this.listeners.push(fn);
    return () => { this.listeners = this.listeners.filter((l) => l !== fn); };
  }

  view(): AskingView {
    return { ...this.state, candidates: this.state.candidates.map((c) => ({ ...c })), events: [...this.state.events] };
  }

  get status(): AskingView['state'] {
    return this.state.state;
  }

  route(rationale: string, models: string[]): void {
    this.state.route = rationale;
    models.forEach((model, i) => this.candidate(i + 1, model));
    this.event(0, 'route', rationale);
  }

  agent(candidate: number, e: AgentEvent): void {
    switch (e.type) {
      case 'text': {
        const c = this.candidate(candidate);
        c.text = (c.text + e.text).slice(-MAX_STREAM_CHARS);
        this.changed();
        return;
      }
      case 'turn': return this.event(candidate, 'turn', `Request ${e.turn} to the model.`);
      case 'tool': return this.event(candidate, 'tool', `${e.name}${e.ok ? '' : ' (failed)'}: ${e.summary}`);
      case 'validating': return this.event(candidate, 'validating', `Validating the change (${e.files} file${e.files === 1 ? '' : 's'}): paths, base versions, type check.`);
      case 'refused': return this.event(candidate, 'repair', `Attempt ${e.turn} sent back to the model: ${e.problems.map((p) => `${p.kind}: ${p.message.split('\n')[0]}`).join('; ')}`);
      case 'accepted': return this.event(candidate, 'accepted', `Attempt ${e.turn} validated.`);
    }
  }

  session(candidate: number, e: SessionEvent): void {
    this.event(candidate, e.type, e.message);
  }

  warning(message: string): void {
    this.event(0, 'warning', message);
  }

  cancelling(): void {
    if (this.state.state !== 'running') return;
    this.state.state = 'cancelling';
    this.changed();
  }

  finish(state: Exclude<AskingView['state'], 'running' | 'cancelling' | 'interrupted'>, text?: string): void {
    this.state.state = state;
    if (state === 'answered') this.state.answer = text ?? '';
    else if (text) this.state.error = text;
    this.changed();
  }

  private candidate(index: number, model?: string): AskingView['candidates'][number] {
    let c = this.state.candidates.find((x) => x.index === index);
    if (!c) {
      c = { index, model: model ?? '', text: '' };
      this.state.candidates.push(c);
      this.state.candidates.sort((a, b) => a.index - b.index);
    } else if (model) c.model = model;
    return c;
  }

  private event(candidate: number, kind: AskEventView['kind'], message: string): void {
    this.state.events.push({ candidate, kind, message, at: this.now().toISOString() });
    if (this.state.events.length > MAX_EVENTS) this.state.events.splice(0, this.state.events.length - MAX_EVENTS);
    this.changed();
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
