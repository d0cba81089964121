import Glibc

/// Blocks `signals` in the calling thread (and the threads it starts later), so they can be
/// read from a signalfd instead of interrupting whichever thread they hit. Returns the set.
@discardableResult
public func blockSignals(_ signals: [Int32]) -> sigset_t {
    var set = sigset_t()
    sigemptyset(&set)
    for s in signals { sigaddset(&set, s) }
    let status = pthread_sigmask(SIG_BLOCK, &set, nil)
    precondition(status == 0, "pthread_sigmask failed: errno \(status)")
    return set
}
