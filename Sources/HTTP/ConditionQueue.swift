import POSIX

/// A FIFO guarded by a `Monitor` (mutex and condition in allocated storage), for consumers
/// that block (worker threads) and a non-blocking drain for the event loop.
final class ConditionQueue<Element>: @unchecked Sendable {
    private let monitor = Monitor()
    private var items: [Element] = []
    private var head = 0
    private var closed = false

    func push(_ item: Element) {
        monitor.locked {
            items.append(item)
            monitor.signal()
        }
    }

    /// Blocks until an item is available; nil once the queue is closed and empty.
    func pop() -> Element? {
        monitor.locked {
            while head == items.count && !closed { monitor.wait() }
            guard head < items.count else { return nil }
            let item = items[head]
            head += 1
            if head == items.count { items.removeAll(keepingCapacity: true); head = 0 }
            return item
        }
    }

    /// Everything queued now, without blocking.
    func drain() -> [Element] {
        monitor.locked {
            let result = Array(items[head...])
            items.removeAll(keepingCapacity: true)
            head = 0
            return result
        }
    }

    /// Wakes every blocked consumer; `pop` returns nil once the remaining items are taken.
    func close() {
        monitor.locked {
            closed = true
            monitor.broadcast()
        }
    }
}
