import { chatEventBatches } from '../canonical/chat-event-batches.ts';
import type { ChatRequest } from '../canonical/chat-request.ts';
import { responseReasoning, responseText, responseToolCalls, type ChatResponse } from '../canonical/chat-response.ts';
import type { DegradedField } from '../canonical/degraded-field.ts';
import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import type { EmbeddingRequest, EmbeddingResponse } from '../canonical/embedding.ts';
import { GatewayError, toGatewayError } from '../canonical/gateway-error.ts';
import type { ImageGenerationRequest, ImageGenerationResponse } from '../canonical/image-generation.ts';
import type { AttemptHandle, RequestOutcomeRecorder } from '../observability/request-outcome-recorder.ts';
import type { CallContext, SameProtocolHint } from '../providers/provider-adapter.ts';
import type { UpstreamWait } from '../providers/shared/upstream-wait.ts';
import { InMemoryReasoningStateStore } from '../state/in-memory-reasoning-state-store.ts';
import type { ReasoningStateStore } from '../state/reasoning-state-store.ts';
import { countChatUsage } from './count-chat-usage.ts';
import { holdUntilOutput } from './hold-until-output.ts';
import { measureChatStream, measuredTiming, type MeasuredChatStream } from './measure-chat-stream.ts';
import type { ModelRouter, ResolvedModel, RouteTarget } from './model-router.ts';
import { ReasoningStateRecorder } from './reasoning-state-recorder.ts';
import { reattachReasoningState } from './reattach-reasoning-state.ts';
import { refuseForeignProviderFeatures } from './refuse-foreign-provider-features.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs, waitBeforeRetry, type RetryPolicy } from './retry-policy.ts';

/** Per-request bookkeeping shared with the server: time spent waiting on upstreams. */
export interface DispatchContext extends CallContext {
  /**
   * Milliseconds spent waiting on upstreams, for `x-llmux-overhead-ms`: for whole answers, as the
   * HTTP client measured it (dispatch → body read); for streams, dispatch → headers and then the
   * wait for the upstream's batches until its first output.
   */
  upstreamMs: number;
  /** The request's outcome: every upstream attempt, the usage and the upstream's timing go there. */
  outcome?: RequestOutcomeRecorder;
  /** Model names the client key may use; undefined means all. */
  allowedModels?: ReadonlySet<string>;
  /** Where the request went, once known (for `x-llmux-provider` / `x-llmux-model`). */
  target?: RouteTarget;
  /** Milliseconds spent waiting between retries: neither upstream time nor llmux's own. */
  retryWaitMs?: number;
  /** Request fields the chosen provider could not honour and dropped (`x-llmux-degraded`). */
  degraded: DegradedField[];
}

export interface RoutedStream {
  /** The answer, one batch per upstream network chunk (each is encoded and written in one pass). */
  batches: MeasuredChatStream;
  target: RouteTarget;
  model: ResolvedModel;
}

export interface RoutedResponse {
  response: ChatResponse;
  target: RouteTarget;
  model: ResolvedModel;
}

/**
 * Runs canonical requests against the targets a model name routes to: retries a target on
 * retryable errors, then falls back to the next target — always before any byte reached the
 * client. Knows no provider and no protocol.
 */
export class ChatDispatcher {
  readonly router: ModelRouter;
  private readonly retryPolicy: RetryPolicy;

  /** Provider state clients cannot carry back, kept between turns (see reattachReasoningState). */
  readonly reasoningState: ReasoningStateStore;

  constructor(router: ModelRouter, retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY, reasoningState: ReasoningStateStore = new InMemoryReasoningStateStore()) {
    this.router = router;
    this.retryPolicy = retryPolicy;
    this.reasoningState = reasoningState;
  }

  /**
   * `hint`: the client's body in a provider's wire form (see SameProtocolHint), passed on while the
   * messages a target gets are the client's own (no provider state was put back into them).
   */
  stream(request: ChatRequest, context: DispatchContext, hint?: SameProtocolHint): Promise<RoutedStream> {
    return this.onModel(request, context, hint, undefined, this.streamOn);
  }

  private streamOn(model: ResolvedModel, request: ChatRequest, context: DispatchContext, hint: SameProtocolHint | undefined): Promise<RoutedStream> {
    return this.withFallback(model, context, async (target, attempt) => {
      const upstreamRequest = this.upstreamRequest(request, target, true);
      const startedAt = performance.now();
      const wait = this.startWait(context);
      let calledMs: number | undefined;
      const batchWait = { ms: 0 };
      try {
        const stream = await target.provider.streamChat(upstreamRequest, context, sameMessages(upstreamRequest, request, hint));
        calledMs = performance.now() - startedAt;
        const held = await holdUntilOutput(chatEventBatches(stream), batchWait);
        for (const event of held.held) if (event.type === 'response-start' && event.degraded !== undefined) declareDegraded(context, target, event.degraded);
        const reasoningState = new ReasoningStateRecorder(this.reasoningState, target.provider.type, target.upstreamModel);
        const report = context.outcome === undefined ? { reasoningState } : { outcome: context.outcome, attempt, reasoningState };
        return { batches: measureChatStream(held, upstreamRequest, startedAt, report), target, model };
      } finally {
        // Upstream time up to the first output, for `x-llmux-overhead-ms`: the HTTP client's wait
        // (dispatch → answer headers), or the provider's whole call where it reports none, and then
        // the wait for the batches before the first output. llmux's own work in between is not in it.
        context.upstreamMs += (wait.reported ? wait.ms : (calledMs ?? performance.now() - startedAt)) + batchWait.ms;
        if (context.upstreamWait === wait) context.upstreamWait = undefined;
      }
    });
  }

  /**
   * `hint`: as for `stream`. `routed`: where the router sends `request.model`, when the route has
   * just resolved it (Ollama's routes do, to answer in their own words): not resolved twice. Not
   * async itself: a model known at once costs no promise step.
   */
  complete(request: ChatRequest, context: DispatchContext, hint?: SameProtocolHint, routed?: ResolvedModel): Promise<RoutedResponse> {
    return this.onModel(request, context, hint, routed, this.completeOn);
  }

  /**
   * `next` on the model `request.model` routes to: in the same turn when the router knows it (no
   * promise step before the upstream call, and no closure), else once it does; a refusal (a name
   * the key may not use) as a rejection.
   */
  private onModel<T>(
    request: ChatRequest,
    context: DispatchContext,
    hint: SameProtocolHint | undefined,
    routed: ResolvedModel | undefined,
    next: (this: ChatDispatcher, model: ResolvedModel, request: ChatRequest, context: DispatchContext, hint: SameProtocolHint | undefined) => Promise<T>,
  ): Promise<T> {
    let model: ResolvedModel | Promise<ResolvedModel>;
    try {
      model = this.resolveNow(request.model, context, routed);
    } catch (error) {
      return Promise.reject(error);
    }
    if (model instanceof Promise) return model.then((resolved) => next.call(this, resolved, request, context, hint));
    return next.call(this, model, request, context, hint);
  }

  private completeOn(model: ResolvedModel, request: ChatRequest, context: DispatchContext, hint: SameProtocolHint | undefined): Promise<RoutedResponse> {
    return this.withFallback(model, context, async (target, attempt) => {
      const upstreamRequest = this.upstreamRequest(request, target, false);
      const startedAt = performance.now();
      const wait = this.startWait(context);
      try {
        const response = await target.provider.completeChat(upstreamRequest, context, sameMessages(upstreamRequest, request, hint));
        attempt?.succeed();
        if (response.timing !== undefined) context.outcome?.setUpstreamTiming(response.timing);
        response.timing ??= measuredTiming(startedAt, undefined);
        response.usage ??= await countChatUsage(upstreamRequest.messages, upstreamRequest.tools, responseOutputText(response), context.signal);
        if (response.degraded !== undefined) declareDegraded(context, target, response.degraded);
        ReasoningStateRecorder.recordResponse(this.reasoningState, target.provider.type, target.upstreamModel, response);
        context.outcome?.setUsage(response.usage);
        return { response, target, model };
      } finally {
        this.endWait(context, wait, startedAt);
      }
    });
  }

  /** `model` is the name that answered (the default's when `default_model` stood in: see answeredModel). */
  async embed(request: EmbeddingRequest, context: DispatchContext): Promise<{ response: EmbeddingResponse; target: RouteTarget; model: ResolvedModel }> {
    const model = await this.resolve(request.model, context);
    return this.withFallback(model, context, async (target, attempt) => {
      const embed = target.provider.embed?.bind(target.provider);
      if (embed === undefined) {
        throw new GatewayError('invalid_request', `model '${model.name}' does not support embeddings (provider '${target.provider.id}')`, {
          param: 'model',
          retryable: false,
        });
      }
      return this.timed(context, attempt, async () => ({ response: await embed({ ...request, model: target.upstreamModel }, context), target, model }));
    });
  }

  async generateImages(request: ImageGenerationRequest, context: DispatchContext): Promise<{ response: ImageGenerationResponse; target: RouteTarget; model: ResolvedModel }> {
    const model = await this.resolve(request.model, context);
    return this.withFallback(model, context, async (target, attempt) => {
      const generate = target.provider.generateImages?.bind(target.provider);
      if (generate === undefined) {
        throw new GatewayError('invalid_request', `model '${model.name}' cannot generate images (provider '${target.provider.id}')`, {
          param: 'model',
          retryable: false,
        });
      }
      const response = await this.timed(context, attempt, () => generate({ ...request, model: target.upstreamModel }, context));
      if (response.degraded !== undefined) declareDegraded(context, target, response.degraded);
      return { response, target, model };
    });
  }

  /** The request as one target gets it: its model id, and the provider state it needs back. */
  private upstreamRequest(request: ChatRequest, target: RouteTarget, stream: boolean): ChatRequest {
    refuseForeignProviderFeatures(request, target.provider);
    const messages = reattachReasoningState(request.messages, this.reasoningState, target.provider.type, target.upstreamModel);
    return { ...request, messages, model: target.upstreamModel, stream };
  }

  /** Resolve a model name, refusing names the client's key may not use. */
  async resolve(name: string, context: DispatchContext): Promise<ResolvedModel> {
    return this.resolveNow(name, context);
  }

  /** As resolve; a promise only when the router has to wait (see ModelRouter.resolveNow). `routed`: `name` already resolved. */
  private resolveNow(name: string, context: DispatchContext, routed?: ResolvedModel): ResolvedModel | Promise<ResolvedModel> {
    if (context.outcome !== undefined) context.outcome.requestedModel ??= name;
    if (context.allowedModels !== undefined && !context.allowedModels.has(name)) {
      throw new GatewayError('permission', `this API key may not use model '${name}'`, { param: 'model', code: 'model_not_allowed' });
    }
    const model = routed !== undefined && routed.name === name && routed.standsInFor === undefined ? routed : this.router.resolveNow(name);
    if (model instanceof Promise) return model.then((resolved) => noteStandIn(resolved, name, context));
    return noteStandIn(model, name, context);
  }

  private async timed<T>(context: DispatchContext, attempt: AttemptHandle | undefined, call: () => Promise<T>): Promise<T> {
    const startedAt = performance.now();
    const wait = this.startWait(context);
    try {
      const result = await call();
      attempt?.succeed();
      return result;
    } finally {
      this.endWait(context, wait, startedAt);
    }
  }

  /** A fresh upstream-wait clock for one attempt, handed to the provider through the context. */
  private startWait(context: DispatchContext): UpstreamWait {
    const wait: UpstreamWait = { ms: 0, reported: false };
    context.upstreamWait = wait;
    return wait;
  }

  /**
   * Adds the attempt's upstream wait as the HTTP client measured it (dispatch → answer read);
   * for a provider that did not report one, the whole call counts as waiting.
   */
  private endWait(context: DispatchContext, wait: UpstreamWait, startedAt: number): void {
    const ms = wait.reported ? wait.ms : performance.now() - startedAt;
    context.upstreamMs += ms;
    context.outcome?.addUpstreamWait(ms);
    // Set, not deleted: a deleted property turns the context into a slow dictionary object for the rest of the request.
    if (context.upstreamWait === wait) context.upstreamWait = undefined;
  }

  /**
   * Each call is one attempt in the request's outcome: `call` marks it a success when the answer
   * is whole (a stream: when it ends); a throw marks it failed here.
   */
  private async withFallback<T>(
    model: ResolvedModel,
    context: DispatchContext,
    call: (target: RouteTarget, attempt: AttemptHandle | undefined) => Promise<T>,
  ): Promise<T> {
    if (model.targets.length === 0) {
      throw new GatewayError('not_found', `model '${model.name}' has no usable target; check its providers in the config`, { param: 'model' });
    }
    let lastError: GatewayError | undefined;
    for (const target of model.targets) {
      context.target = target;
      for (let attempt = 0; ; attempt++) {
        if (context.signal.aborted) throw new GatewayError('canceled', 'request canceled');
        const recorded = context.outcome?.beginAttempt(target.provider.id, target.provider.type, target.upstreamModel);
        try {
          return await call(target, recorded);
        } catch (thrown) {
          const error = toGatewayError(thrown);
          recorded?.fail(error);
          if (error.kind === 'canceled' || context.signal.aborted) throw error;
          lastError = error;
          const delay = retryDelayMs(this.retryPolicy, error, attempt);
          context.log.warn(
            { provider: target.provider.id, model: target.upstreamModel, status: error.status, attempt: attempt + 1, retryInMs: delay },
            `upstream call failed: ${error.message}`,
          );
          if (delay === undefined) break;
          const waitStartedAt = performance.now();
          await waitBeforeRetry(delay, context.signal);
          context.retryWaitMs = (context.retryWaitMs ?? 0) + performance.now() - waitStartedAt;
          context.outcome?.addRetryWait(performance.now() - waitStartedAt);
        }
      }
      if (!lastError.retryable) throw lastError;
    }
    throw lastError ?? new GatewayError('internal', 'no target was tried');
  }
}

/** A model that `default_model` answers for an unknown name is said so in the request's log. */
function noteStandIn(model: ResolvedModel, name: string, context: DispatchContext): ResolvedModel {
  if (model.standsInFor !== undefined) context.log.info({ requested: name, default_model: model.name }, `model '${name}' is not known; default_model '${model.name}' answers it`);
  return model;
}

/** The hint, while the target gets the client's own messages (reattachReasoningState returns the same array when it adds nothing). */
function sameMessages(upstreamRequest: ChatRequest, request: ChatRequest, hint: SameProtocolHint | undefined): SameProtocolHint | undefined {
  return upstreamRequest.messages === request.messages ? hint : undefined;
}

/** What a tokenizer counts as an answer's output: its reasoning, text and tool calls. */
function responseOutputText(response: ChatResponse): string {
  return responseReasoning(response) + responseText(response) + responseToolCalls(response).map((call) => call.name + call.arguments).join('');
}

/** Fields the provider dropped go into the response header and one warning line for the request. */
function declareDegraded(context: DispatchContext, target: RouteTarget, fields: readonly DegradedField[]): void {
  if (fields.length === 0) return;
  context.degraded.push(...fields);
  context.outcome?.addDegraded(fields);
  context.log.warn(
    { provider: target.provider.id, model: target.upstreamModel, degraded: fields },
    `request fields not honoured by provider '${target.provider.id}': ${fields.map((entry) => entry.field).join(', ')}`,
  );
}
