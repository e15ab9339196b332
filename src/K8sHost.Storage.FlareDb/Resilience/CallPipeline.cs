using Grpc.Core;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace K8sHost.Storage.FlareDb.Resilience;

/// <summary>
/// Every RPC to PD or a store goes through one Polly pipeline: jittered retries on transient transport errors,
/// a per-attempt timeout (StoreOptions.CallTimeout) and a circuit breaker shared by the whole cluster connection,
/// so that while FlareDB is down calls fail fast instead of each waiting out its timeout. Anything that still
/// fails leaves as <see cref="StoreUnavailableException"/> (a 503 at the API edge). Half-open probes let the
/// breaker close again by itself once the cluster answers.
/// </summary>
internal sealed class CallPipeline
{
    private readonly ResiliencePipeline _pipeline;

    public CallPipeline(TimeSpan callTimeout, FlareDbSettings settings)
    {
        var transient = new PredicateBuilder()
            .Handle<RpcException>(e => e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
            .Handle<TimeoutRejectedException>()
            .Handle<HttpRequestException>();

        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = settings.TransportRetries,
                Delay = TimeSpan.FromMilliseconds(50),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 0.5,
                MinimumThroughput = settings.BreakerMinimumThroughput,
                SamplingDuration = settings.BreakerSampling,
                BreakDuration = settings.BreakDuration,
            })
            .AddTimeout(callTimeout)
            .Build();
    }

    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, string what, CancellationToken ct)
    {
        try
        {
            return await _pipeline.ExecuteAsync(static async (state, token) => await state(token), call, ct);
        }
        catch (BrokenCircuitException e)
        {
            throw new StoreUnavailableException($"flaredb: circuit open after repeated failures ({what})", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new StoreUnavailableException($"flaredb: {what} timed out", e);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled || !ct.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"flaredb: {what} failed: {e.Status.StatusCode} {e.Status.Detail}", e);
        }
        catch (HttpRequestException e)
        {
            throw new StoreUnavailableException($"flaredb: {what} failed: {e.Message}", e);
        }
    }
}
