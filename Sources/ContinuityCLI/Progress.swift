import Glibc
import POSIX

/// A progress line on stderr while a long command runs (SPEC §5: demo, import, evaluate, purge,
/// backup), only when stderr is a terminal: in a pipe or under cron nothing extra is written.
/// Redrawn at most ten times a second, and erased when done.
final class Progress: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private var lastDraw = 0.0
    private var drawn = false

    init(_ label: String, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.enabled = enabled
    }

    /// `done` of `total` (`total` 0 when unknown).
    func update(_ done: Int, of total: Int, unit: String) {
        guard enabled else { return }
        let now = monotonicSeconds()
        guard now - lastDraw >= 0.1 || (total > 0 && done >= total) else { return }
        lastDraw = now
        var text = "\r\u{1B}[K\(label): \(done)"
        if total > 0 { text += " of \(total) \(unit) (\(done * 100 / max(total, 1))%)" } else { text += " \(unit)" }
        emit(text)
        drawn = true
    }

    /// Erases the line, so the command's own summary starts clean.
    func finish() {
        guard enabled, drawn else { return }
        emit("\r\u{1B}[K")
        drawn = false
    }

    private func emit(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
