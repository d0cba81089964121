import Glibc

/// Runs `body` on a new pthread and returns its id, for `pthread_join` or `pthread_detach`.
public func spawnThread(_ body: @escaping @Sendable () -> Void) throws -> pthread_t {
    final class Box { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
    var thread = pthread_t()
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    let status = pthread_create(&thread, nil, { raw in
        let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
        box.body()
        return nil
    }, box)
    guard status == 0 else {
        Unmanaged<Box>.fromOpaque(box).release()
        throw SystemCallError("pthread_create", errno: status)
    }
    return thread
}

/// Waits for a thread started by `spawnThread` to end.
public func joinThread(_ thread: pthread_t) {
    let status = pthread_join(thread, nil)
    // Only EDEADLK/EINVAL/ESRCH are possible: each means a programming error here.
    precondition(status == 0, "pthread_join failed: errno \(status)")
}
