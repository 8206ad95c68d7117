import EnsembleCore
import ServiceLifecycle

/// Runs `body` at once and then every `interval` of `clock` until a graceful shutdown begins (or
/// the task is cancelled); the wait between passes ends as soon as shutdown does.
func repeatUntilShutdown(every interval: Duration, clock: any EnsembleClock, _ body: () async -> Void) async {
    while !Task.isShuttingDownGracefully, !Task.isCancelled {
        await body()
        try? await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
    }
}
