import ServiceLifecycle

/// Sleeps for `duration`, waking early (without throwing) on graceful shutdown or cancellation.
func gracefulSleep(for duration: Duration) async {
    try? await cancelWhenGracefulShutdown {
        try await Task.sleep(for: duration)
    }
}
