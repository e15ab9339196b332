using Grpc.Core;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace K8sHost.Storage.Etcd;

/// <summary>
/// Runs every unary etcd call through one Polly pipeline:
/// total timeout (CallTimeout) → retry (jittered exponential backoff, transient failures only) →
/// circuit breaker (shared by all calls of the store) → attempt timeout.
/// A transient failure also moves the client to the next member, so a retry is a failover.
/// Callers get results or <see cref="StoreUnavailableException"/>; gRPC/Polly exceptions never leak.
/// Retrying writes is the caller's business: each write op is told the attempt number and must be
/// safe to re-run (see <see cref="EtcdStore"/>: every write is a compare Txn whose failure branch reads the key back).
/// </summary>
internal sealed class EtcdCallRunner
{
    private readonly EtcdEndpoints _endpoints;
    private readonly ResiliencePipeline _pipeline;

    public EtcdCallRunner(EtcdEndpoints endpoints, EtcdResilienceSettings settings)
    {
        _endpoints = endpoints;
        var transient = new PredicateBuilder().Handle<Exception>(EtcdFailures.IsTransient);
        _pipeline = new ResiliencePipelineBuilder()
            .AddTimeout(settings.CallTimeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.RetryMaxDelay,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = settings.FailureRatio,
                MinimumThroughput = settings.MinimumThroughput,
                SamplingDuration = settings.SamplingDuration,
                BreakDuration = settings.BreakDuration,
            })
            .AddTimeout(settings.AttemptTimeout)
            .Build();
    }

    /// <summary>
    /// Runs <paramref name="call"/> (given the member to use and the 0-based attempt number) with retries and failover.
    /// Failures leave as <see cref="StoreUnavailableException"/> only when no attempt can have reached etcd (connection
    /// refused, circuit open, no leader); once an attempt was sent and went unanswered, a write may be applied later
    /// (a frozen member applies what sits in its socket when it resumes), so the call ends as
    /// <see cref="StoreOutcomeUnknownException"/>.
    /// </summary>
    public async Task<T> RunAsync<T>(string operation, Func<EtcdEndpoint, int, CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var attempt = 0;
        var maybeSent = false;
        try
        {
            return await _pipeline.ExecuteAsync(
                async token =>
                {
                    var endpoint = _endpoints.Active;
                    try
                    {
                        return await call(endpoint, attempt++, token);
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested && (EtcdFailures.IsTransient(ex) || ex is OperationCanceledException))
                    {
                        if (!EtcdFailures.CertainlyNotSent(ex)) maybeSent = true;
                        _endpoints.ReportFailure(endpoint);
                        throw;
                    }
                },
                ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is BrokenCircuitException or TimeoutRejectedException or RpcException or HttpRequestException or IOException or OperationCanceledException)
        {
            var reason = ex switch
            {
                BrokenCircuitException => $"{operation} rejected, circuit open after repeated failures",
                TimeoutRejectedException => $"{operation} timed out",
                _ => $"{operation} failed ({EtcdFailures.Describe(ex)})",
            };
            if (maybeSent || !EtcdFailures.CertainlyNotSent(ex))
            {
                throw new StoreOutcomeUnknownException($"etcd did not answer: {reason}", ex);
            }

            throw new StoreUnavailableException($"etcd unavailable: {reason}", ex);
        }
    }
}
