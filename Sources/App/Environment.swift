import API
import Config
import Continuity
import Glibc
import Logging
import Log
import POSIX
import SQLite
import Store
import Web

/// The composition root (issue 9): settings -> database -> store (use cases) -> API -> HTTP
/// server. `continuity serve`, every CLI command and the tests build the service here, so
/// nothing can be wired differently in one of them.
public struct Environment: Sendable {
    public let settings: Settings
    public let zone: TimeZoneRules
    public let logger: Logger
    /// The clock of "today" (SPEC §2); tests set their own.
    public let now: @Sendable () -> Instant

    /// Settings from the file and `CONTINUITY_*` variables; logging bootstrapped from them.
    public init(configPath: String?) throws {
        let settings = try ConfigLoader.load(path: configPath, environment: ConfigLoader.processEnvironment())
        LogSetup.bootstrap(format: LogFormat(rawValue: settings.logFormat) ?? .plain,
                           level: parseLogLevel(settings.logLevel) ?? .info)
        try self.init(settings: settings, logger: Logger(label: "continuity"))
    }

    /// Settings given whole (tests), with their own logger and clock.
    public init(settings: Settings, logger: Logger, zone: TimeZoneRules? = nil, now: @escaping @Sendable () -> Instant = Clock.now) throws {
        self.settings = settings
        self.logger = logger
        self.zone = try zone ?? Environment.loadZone(settings.timeZone)
        self.now = now
    }

    /// Reads the zone's TZif file from the system tz database (tzdata), honouring TZDIR.
    public static func loadZone(_ name: String) throws -> TimeZoneRules {
        if name == "UTC" || name == "Etc/UTC" { return .utc }
        guard !name.contains(".."), !name.hasPrefix("/") else { throw ConfigError("[time] zone: not a zone name: \(name)") }
        let dir = getenv("TZDIR").map { String(cString: $0) } ?? "/usr/share/zoneinfo"
        guard let bytes = readFile(dir + "/" + name) else {
            throw ConfigError("[time] zone: no time zone '\(name)' in \(dir) (is tzdata installed?)")
        }
        return try TimeZoneRules(name: name, tzif: bytes)
    }

    public var measureSettings: MeasureSettings {
        MeasureSettings(zone: zone, officeHours: OfficeHours(
            weekdays: Set(settings.officeWeekdays), startMinute: settings.officeStartMinutes,
            endMinute: settings.officeEndMinutes),
            language: Language(rawValue: settings.reportsLanguage) ?? .nl)
    }

    public var thresholds: FlagThresholds {
        var t = FlagThresholds()
        let s = settings
        t.changingFacesWindowDays = s.flagsChangingFacesWindowDays
        t.changingFacesMax = s.flagsChangingFacesMax
        t.primaryTurnoverWindowDays = s.flagsPrimaryTurnoverWindowDays
        t.primaryTurnoverMinChanges = s.flagsPrimaryTurnoverMinChanges
        t.noPrimaryGraceDays = s.flagsNoPrimaryGraceDays
        t.primaryLeavingDays = s.flagsPrimaryLeavingDays
        t.referralChainWindowDays = s.flagsReferralChainWindowDays
        t.referralChainMax = s.flagsReferralChainMax
        t.referralLimboDays = s.flagsReferralLimboDays
        t.longGapDays = s.flagsLongGapDays
        t.noFaceToFaceDays = s.flagsNoFaceToFaceDays
        t.warmHandoverDays = s.flagsWarmHandoverDays
        return t
    }

    public var apiSettings: APISettings {
        var a = APISettings()
        a.metricsOnAPIListener = settings.metricsPort == 0
        a.windowDays = settings.measuresWindowDays
        a.smallCellThreshold = settings.reportsSmallCellThreshold
        a.rateLimitPerMinute = settings.authRateLimitPerMinute
        a.rateLimitBurst = settings.authRateLimitBurst
        a.corsOrigins = settings.serverCorsOrigins.split(separator: ",").map(String.init)
        a.failedAuthPerMinute = settings.authFailedPerMinute
        a.web.sessionHours = settings.webSessionHours
        a.web.secureCookies = settings.serverSecureCookies
        return a
    }

    /// Opens the database (applying pending migrations) and the store over it.
    public func openStore() throws -> Store {
        var o = StoreOptions(path: settings.databasePath, migrationsDirectory: settings.databaseMigrations)
        if settings.databaseMigrations == "embedded" { o.migrations = Migrator.embedded }
        o.synchronous = Synchronous(rawValue: settings.databaseSynchronous.uppercased()) ?? .full
        o.busyTimeoutMilliseconds = Int32(settings.databaseBusyTimeoutMs)
        o.groupCommit = settings.databaseGroupCommit
        // Each write waits on its worker thread for the commit: a batch never holds more writes
        // than there are worker threads, whatever max_batch says.
        o.maxBatch = min(settings.databaseMaxBatch, settings.serverWorkerThreads)
        let db = try Database(options: o)
        for m in db.appliedMigrations {
            logger.notice("migration applied", metadata: ["version": .stringConvertible(m.version), "name": "\(m.name)"])
        }
        return Store(database: db, thresholds: thresholds, settings: measureSettings, now: now)
    }
}

public enum Clock {
    @Sendable public static func now() -> Instant {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Instant(epochSeconds: Int64(ts.tv_sec), nanoseconds: Int32(ts.tv_nsec))
    }
}

/// The whole file, nil if it cannot be read (the callers say which file was missing).
public func readFile(_ path: String) -> [UInt8]? { (try? readWholeFile(path)) ?? nil }


public func printError(_ s: String) {
    var line = Array(("continuity: " + s + "\n").utf8)
    _ = line.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}

/// What kind of failure an error is, for the CLI's exit codes (sysexits.h), without the CLI
/// knowing the SQLite module.
public enum Failure {
    /// The database stayed locked past the busy timeout: try again later.
    public static func isBusy(_ error: any Error) -> Bool { (error as? SQLiteError)?.isBusy ?? false }
    /// A migration file is missing, malformed, or was edited after it was applied.
    public static func isMigration(_ error: any Error) -> Bool { error is MigrationError }
}
