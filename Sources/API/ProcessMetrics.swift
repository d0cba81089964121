import Glibc

/// The process metrics Prometheus' own client libraries export under these names
/// (prometheus.io/docs/instrumenting/writing_clientlibs/#process-metrics), read from /proc.
enum ProcessMetrics {
    /// Wall-clock time this process started, in seconds since the epoch.
    static let startTime: Double = {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let uptime = (readText("/proc/self/stat").flatMap(fields).flatMap { $0.count > 21 ? Double($0[21]) : nil })
            .map { ticks in secondsSinceBoot() - ticks / Double(sysconf(Int32(_SC_CLK_TCK))) } ?? 0
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9 - max(0, uptime)
    }()

    static func register(on m: Metrics) {
        _ = startTime
        m.addCounter("process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.") {
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
                + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        }
        m.addGauge("process_resident_memory_bytes", help: "Resident memory size in bytes.") {
            // /proc/self/statm: size resident shared ... in pages.
            let pages = readText("/proc/self/statm").map { $0.split(separator: " ") }.flatMap { $0.count > 1 ? Double($0[1]) : nil } ?? 0
            return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
        }
        m.addGauge("process_virtual_memory_bytes", help: "Virtual memory size in bytes.") {
            let pages = readText("/proc/self/statm").flatMap { Double($0.split(separator: " ").first ?? "") } ?? 0
            return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
        }
        m.addGauge("process_open_fds", help: "Number of open file descriptors.") { Double(openDescriptors()) }
        m.addGauge("process_max_fds", help: "Maximum number of open file descriptors.") {
            var limit = rlimit()
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            return Double(limit.rlim_cur)
        }
        m.addGauge("process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.") { startTime }
    }

    static func openDescriptors() -> Int {
        guard let dir = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(dir) }
        var n = 0
        while let entry = readdir(dir) {
            if entry.pointee.d_name.0 != UInt8(ascii: ".") { n += 1 }
        }
        return max(0, n - 1)   // the descriptor of the listing itself
    }

    /// /proc/self/stat's fields after the command name (which may hold spaces), numbered as in
    /// proc(5) from 1, so that field N is at index N - 1.
    static func fields(_ stat: String) -> [Substring]? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        return ["pid", "comm"] + stat[stat.index(after: close)...].split(separator: " ")
    }

    static func secondsSinceBoot() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_BOOTTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func readText(_ path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var buffer = [CChar](repeating: 0, count: 4096)
        guard fgets(&buffer, Int32(buffer.count), f) != nil else { return nil }
        return String(cString: buffer).trimmingNewline
    }
}

private extension String {
    var trimmingNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}
