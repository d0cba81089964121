/// One mistake in a request body: where (an RFC 6901 JSON Pointer) and what.
public struct FieldError: Sendable, Equatable {
    /// RFC 6901 pointer into the request body, e.g. `/participants/2/role`; "" is the root.
    public let pointer: String
    /// A short English phrase, e.g. "is required" or "must be a string".
    public let detail: String

    public init(pointer: String, detail: String) {
        self.pointer = pointer
        self.detail = detail
    }

    /// `{"pointer": ..., "detail": ...}`, the shape of an entry in problem+json `errors`.
    public var json: JSONValue {
        ["pointer": .string(pointer), "detail": .string(detail)]
    }
}
