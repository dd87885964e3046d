import Hummingbird
import Logging

/// The request context of every route: Hummingbird's core storage plus the authenticated caller.
public struct PerchRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The enrolled device that made the request, once device authentication passed.
    public var device: AuthenticatedDevice?

    /// Creates a context for a request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.device = nil
    }

    /// Bodies decoded with Hummingbird's default decoder are capped at 256 KiB; larger uploads
    /// (result batches, models) collect their body with their own limits.
    public var maxUploadSize: Int { 256 * 1024 }
}

/// A device whose token was verified for this request.
public struct AuthenticatedDevice: Sendable, Equatable {
    /// The device's identifier.
    public var id: String
    /// The device's group.
    public var group: String
}
