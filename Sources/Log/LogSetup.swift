import Logging
import Synchronization

/// Installs `StderrLogHandler` as the process-wide swift-log backend.
public enum LogSetup {
    private static let bootstrapped = Atomic<Bool>(false)

    /// Bootstraps `LoggingSystem` once; later calls do nothing (swift-log allows a single
    /// bootstrap per process and traps on a second one).
    public static func bootstrap(format: LogFormat, level: Logger.Level) {
        guard bootstrapped.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            return
        }
        LoggingSystem.bootstrap { label in
            StderrLogHandler(label: label, format: format, level: level)
        }
    }
}
