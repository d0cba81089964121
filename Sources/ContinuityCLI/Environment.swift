import API
import Config
import Continuity
import Glibc
import Logging
import Log
import SQLite
import Store
import Web

/// What every command needs: settings, the time zone, and (on demand) the store.
struct Environment {
    let settings: Settings
    let zone: TimeZoneRules
    let logger: Logger

    init(configPath: String?) throws {
        settings = try ConfigLoader.load(path: configPath, environment: ConfigLoader.processEnvironment())
        LogSetup.bootstrap(format: LogFormat(rawValue: settings.logFormat) ?? .plain,
                           level: parseLogLevel(settings.logLevel) ?? .info)
        logger = Logger(label: "continuity")
        zone = try Environment.loadZone(settings.timeZone)
    }

    /// Reads the zone's TZif file from the system tz database (tzdata), honouring TZDIR.
    static func loadZone(_ name: String) throws -> TimeZoneRules {
        if name == "UTC" || name == "Etc/UTC" { return .utc }
        guard !name.contains(".."), !name.hasPrefix("/") else { throw ConfigError("[time] zone: not a zone name: \(name)") }
        let dir = getenv("TZDIR").map { String(cString: $0) } ?? "/usr/share/zoneinfo"
        guard let bytes = readFile(dir + "/" + name) else {
            throw ConfigError("[time] zone: no time zone '\(name)' in \(dir) (is tzdata installed?)")
        }
        return try TimeZoneRules(name: name, tzif: bytes)
    }

    var measureSettings: MeasureSettings {
        MeasureSettings(zone: zone, officeHours: OfficeHours(
            weekdays: Set(settings.officeWeekdays), startMinute: settings.officeStartMinutes,
            endMinute: settings.officeEndMinutes),
            language: Language(rawValue: settings.reportsLanguage) ?? .nl)
    }

    var thresholds: FlagThresholds {
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

    var apiSettings: APISettings {
        var a = APISettings()
        a.windowDays = settings.measuresWindowDays
        a.smallCellThreshold = settings.reportsSmallCellThreshold
        a.rateLimitPerMinute = settings.authRateLimitPerMinute
        a.rateLimitBurst = settings.authRateLimitBurst
        a.corsOrigins = settings.serverCorsOrigins.split(separator: ",").map(String.init)
        a.failedAuthPerMinute = settings.authFailedPerMinute
        a.web.sessionHours = settings.webSessionHours
        a.web.secureCookies = settings.serverSecureCookies
        a.web.language = Language(rawValue: settings.reportsLanguage) ?? .nl
        return a
    }

    func openStore() throws -> Store {
        var o = StoreOptions(path: settings.databasePath, migrationsDirectory: settings.databaseMigrations)
        if settings.databaseMigrations == "embedded" { o.migrations = Migrator.embedded }
        o.synchronous = Synchronous(rawValue: settings.databaseSynchronous.uppercased()) ?? .full
        o.busyTimeoutMilliseconds = Int32(settings.databaseBusyTimeoutMs)
        o.groupCommit = settings.databaseGroupCommit
        o.maxBatch = settings.databaseMaxBatch
        let db = try Database(options: o)
        for m in db.appliedMigrations {
            logger.notice("migration applied", metadata: ["version": .stringConvertible(m.version), "name": "\(m.name)"])
        }
        return Store(database: db, thresholds: thresholds, settings: measureSettings, now: Clock.now)
    }
}

enum Clock {
    @Sendable static func now() -> Instant {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Instant(epochSeconds: Int64(ts.tv_sec), nanoseconds: Int32(ts.tv_nsec))
    }
}

func readFile(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n > 0 { out += buf[0..<n] }
        if n < buf.count { break }
    }
    return ferror(f) == 0 ? out : nil
}


func printError(_ s: String) {
    var line = Array(("continuity: " + s + "\n").utf8)
    _ = line.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}
