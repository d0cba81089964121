import Synchronization

/// Collects field errors from any number of readers (nested objects, array items), so one
/// response can list every mistake. Safe to share: the list sits behind a mutex.
public final class FieldErrors: @unchecked Sendable {
    private let storage = Mutex<[FieldError]>([])

    public init() {}

    /// Errors in the order they were recorded.
    public var errors: [FieldError] {
        storage.withLock { $0 }
    }

    public func add(_ pointer: String, _ detail: String) {
        storage.withLock { $0.append(FieldError(pointer: pointer, detail: detail)) }
    }

    public var isEmpty: Bool {
        storage.withLock { $0.isEmpty }
    }

    /// The errors as a JSON array of `{"pointer", "detail"}` objects.
    public var json: JSONValue {
        .array(errors.map(\.json))
    }
}
