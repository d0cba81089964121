import Glibc

/// A pthread mutex with a condition variable, in allocated storage: pthread objects must not
/// move, and Swift does not promise a stored property's address (`&property` may be a
/// temporary copy). `Synchronization.Mutex` has no condition variable.
public final class Monitor: @unchecked Sendable {
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = Condition()

    public init() {
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: errno \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func locked<T>(_ body: () throws -> T) rethrows -> T {
        let status = pthread_mutex_lock(mutex)
        precondition(status == 0, "pthread_mutex_lock failed: errno \(status)")
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Call with the lock held (inside `locked`).
    public func wait() { condition.wait(self) }

    /// Call with the lock held; false on timeout.
    public func wait(seconds: Double) -> Bool { condition.wait(self, seconds: seconds) }

    public func signal() { condition.signal() }
    public func broadcast() { condition.broadcast() }

    /// Waits on another condition that shares this monitor's mutex (call with the lock held),
    /// so a waiter wakes only for what it waits for.
    public func wait(on other: Condition) { other.wait(self) }
}

/// A condition variable used with a `Monitor`'s mutex, in allocated storage.
public final class Condition: @unchecked Sendable {
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        let status = pthread_cond_init(cond, nil)
        precondition(status == 0, "pthread_cond_init failed: errno \(status)")
    }

    deinit {
        pthread_cond_destroy(cond)
        cond.deallocate()
    }

    /// Call with the monitor's lock held.
    public func signal() { pthread_cond_signal(cond) }
    public func broadcast() { pthread_cond_broadcast(cond) }

    func wait(_ monitor: Monitor) {
        let status = pthread_cond_wait(cond, monitor.mutex)
        precondition(status == 0, "pthread_cond_wait failed: errno \(status)")
    }

    func wait(_ monitor: Monitor, seconds: Double) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let total = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9 + seconds
        var deadline = timespec(tv_sec: Int(total), tv_nsec: Int((total - Double(Int(total))) * 1e9))
        let status = pthread_cond_timedwait(cond, monitor.mutex, &deadline)
        precondition(status == 0 || status == ETIMEDOUT, "pthread_cond_timedwait failed: errno \(status)")
        return status == 0
    }
}
