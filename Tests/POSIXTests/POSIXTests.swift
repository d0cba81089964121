import Glibc
import POSIX
import Synchronization
import Testing

@Suite struct POSIXTests {
    @Test func aWholeFileIsReadAMissingOneIsNilAndADirectoryIsAnErrorWithItsErrno() throws {
        var template = Array("/tmp/continuity-posix-XXXXXX".utf8CString)
        let dir = String(cString: try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }))
        defer { rmdir(dir) }
        let path = dir + "/f"
        let bytes = (0..<200_000).map { UInt8($0 % 251) }   // more than one read's buffer
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count)
        close(fd)
        defer { unlink(path) }

        #expect(try readWholeFile(path) == bytes)
        #expect(try readWholeFile(dir + "/absent") == nil)
        #expect(throws: SystemCallError("read \(dir)", errno: EISDIR)) { try readWholeFile(dir) }
        #expect(SystemCallError("open x", errno: ENOENT).description == "open x failed: No such file or directory (errno 2)")
    }

    @Test func aThreadRunsItsBodyAndIsJoinedAndAMonitorWakesItsWaiter() throws {
        let monitor = Monitor()
        let state = Mutex<Int>(0)
        final class Flag: @unchecked Sendable { var ready = false }
        let flag = Flag()
        let thread = try spawnThread {
            monitor.locked {
                while !flag.ready { monitor.wait() }
            }
            state.withLock { $0 = 42 }
        }
        monitor.locked {
            flag.ready = true
            monitor.signal()
        }
        joinThread(thread)
        #expect(state.withLock { $0 } == 42)
    }

    @Test func aTimedWaitWithNobodySignallingTimesOut() {
        let monitor = Monitor()
        let started = monotonicSeconds()
        let woken = monitor.locked { monitor.wait(seconds: 0.05) }
        #expect(!woken)
        #expect(monotonicSeconds() - started >= 0.04)
    }
}
