/// The two protocol versions this server speaks (RFC 9112 §2.3). Anything else is a 505.
public enum HTTPVersion: Sendable, Equatable {
    case http10, http11

    /// The version as written on the wire, e.g. `HTTP/1.1`.
    public var text: String {
        switch self {
        case .http10: return "HTTP/1.0"
        case .http11: return "HTTP/1.1"
        }
    }
}
