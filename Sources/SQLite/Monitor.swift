import Glibc

/// A pthread mutex with a condition variable: the writer queue and the reader pool wait on
/// it. (Synchronization.Mutex has no condition variable.)
final class Monitor: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var cond = pthread_cond_t()

    init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&cond, nil)
    }

    deinit {
        pthread_cond_destroy(&cond)
        pthread_mutex_destroy(&mutex)
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }

    /// Call with the lock held (inside `locked`).
    func wait() { pthread_cond_wait(&cond, &mutex) }

    /// Call with the lock held; returns false on timeout.
    func wait(seconds: Double) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let total = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9 + seconds
        var deadline = timespec(tv_sec: Int(total), tv_nsec: Int((total - Double(Int(total))) * 1e9))
        return pthread_cond_timedwait(&cond, &mutex, &deadline) == 0
    }

    func broadcast() { pthread_cond_broadcast(&cond) }
    func signal() { pthread_cond_signal(&cond) }

    /// Waits on another condition that shares this monitor's mutex (call with the lock held),
    /// so a waiter wakes only for what it waits for.
    func wait(on condition: Condition) { pthread_cond_wait(&condition.cond, &mutex) }
}

/// A condition variable used with a `Monitor`'s mutex.
final class Condition: @unchecked Sendable {
    fileprivate var cond = pthread_cond_t()
    init() { pthread_cond_init(&cond, nil) }
    deinit { pthread_cond_destroy(&cond) }
    /// Call with the monitor's lock held.
    func signal() { pthread_cond_signal(&cond) }
}

/// Starts a detached-by-join pthread running `body`; returns its id so callers can join.
func startThread(_ body: @escaping () -> Void) -> pthread_t {
    final class Box { let body: () -> Void; init(_ b: @escaping () -> Void) { body = b } }
    var tid = pthread_t()
    let arg = Unmanaged.passRetained(Box(body)).toOpaque()
    let rc = pthread_create(&tid, nil, { raw in
        let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
        box.body()
        return nil
    }, arg)
    precondition(rc == 0, "pthread_create failed: \(rc)")
    return tid
}
