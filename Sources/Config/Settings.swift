/// Every configuration value of the service, initialised to its built-in default.
///
/// Precedence is defaults < config file < environment (SPEC §6); `ConfigLoader` applies the
/// layers. The key names in comments are those of `config/continuity.conf`.
public struct Settings: Sendable, Equatable {
    // [server]
    public var serverHost = "127.0.0.1"
    public var serverPort = 8080
    public var serverMaxConnections = 1024
    public var serverWorkerThreads = 16
    public var serverMaxHeaderBytes = 16384
    public var serverMaxTargetBytes = 8192
    public var serverMaxBodyBytes = 1048576
    public var serverHeaderTimeoutSeconds = 10.0
    public var serverBodyTimeoutSeconds = 10.0
    public var serverIdleTimeoutSeconds = 60.0
    /// Mark the web session cookie `Secure` (SPEC §9); on behind HTTPS.
    public var serverSecureCookies = false
    /// Comma-separated allowed origins for browser apps; empty: none.
    public var serverCorsOrigins = ""

    // [database]
    public var databasePath = "./data/continuity.sqlite"
    public var databaseMigrations = "embedded"
    /// SQLite `PRAGMA synchronous`: off | normal | full | extra.
    public var databaseSynchronous = "full"
    public var databaseBusyTimeoutMs = 5000
    public var databaseGroupCommit = true
    public var databaseMaxBatch = 16

    // [time]
    public var timeZone = "Europe/Amsterdam"
    /// Comma-separated, lower-case three-letter day names, normalised without spaces.
    public var timeOfficeDays = "mon,tue,wed,thu,fri"
    /// `HH:MM`, local time.
    public var timeOfficeStart = "08:30"
    /// `HH:MM`, local time.
    public var timeOfficeEnd = "17:00"

    // [measures]
    public var measuresWindowDays = 90

    // [flags] (SPEC §3 defaults)
    public var flagsChangingFacesWindowDays = 90
    public var flagsChangingFacesMax = 3
    public var flagsPrimaryTurnoverWindowDays = 365
    public var flagsPrimaryTurnoverMinChanges = 2
    public var flagsNoPrimaryGraceDays = 14
    public var flagsPrimaryLeavingDays = 30
    public var flagsReferralChainWindowDays = 180
    public var flagsReferralChainMax = 2
    public var flagsReferralLimboDays = 14
    public var flagsLongGapDays = 30
    public var flagsNoFaceToFaceDays = 60
    public var flagsWarmHandoverDays = 30

    // [alerts]
    /// `HH:MM`, local time of the built-in daily re-evaluation (SPEC §3).
    public var alertsDailyRun = "00:05"
    public var alertsDailyRunEnabled = true

    // [auth]
    public var authRateLimitPerMinute = 600
    public var authRateLimitBurst = 120
    public var authFailedPerMinute = 20

    // [reports]
    public var reportsSmallCellThreshold = 5
    /// nl | en: the language of evidence, reports and the web pages (SPEC §3, §9).
    public var reportsLanguage = "nl"

    // [web]
    /// Hours a web sign-in lasts (SPEC §9).
    public var webSessionHours = 10

    // [log]
    /// trace | debug | info | notice | warning | error | critical (swift-log level names).
    public var logLevel = "info"
    /// plain | json
    public var logFormat = "plain"

    // [metrics]
    /// Address of /metrics' own listener, when `metricsPort` is not 0.
    public var metricsHost = "127.0.0.1"
    /// 0: /metrics is served on the API's listener; else on a listener of its own at this port.
    public var metricsPort = 0

    // [litestream]
    /// Ask Litestream (through its control socket) to step aside for an erasure's WAL scrub.
    public var litestreamControl = false
    /// Litestream's control socket (its default path).
    public var litestreamSocket = "/var/run/litestream.sock"

    public init() {}
}

extension Settings {
    /// Office days as weekday numbers, 1 = Monday … 7 = Sunday (ISO 8601), in file order.
    public var officeWeekdays: [Int] {
        timeOfficeDays.split(separator: ",").compactMap { ConfigValue.weekdayNames.firstIndex(of: String($0)).map { $0 + 1 } }
    }

    /// Minutes after local midnight of `timeOfficeStart`.
    public var officeStartMinutes: Int { ConfigValue.minutesOfDay(timeOfficeStart) ?? 0 }

    /// Minutes after local midnight of `timeOfficeEnd`.
    public var officeEndMinutes: Int { ConfigValue.minutesOfDay(timeOfficeEnd) ?? 0 }

    /// Minutes after local midnight of `alertsDailyRun`.
    public var alertsDailyRunMinutes: Int { ConfigValue.minutesOfDay(alertsDailyRun) ?? 0 }

    /// Rules that involve more than one key; single values are checked as they are parsed.
    public func validate() throws(ConfigError) {
        if officeStartMinutes >= officeEndMinutes {
            throw ConfigError("[time] office_start (\(timeOfficeStart)) must be before office_end (\(timeOfficeEnd))")
        }
        if serverMaxTargetBytes > serverMaxHeaderBytes {
            throw ConfigError("[server] max_target_bytes (\(serverMaxTargetBytes)) cannot exceed max_header_bytes (\(serverMaxHeaderBytes)): the request line is part of the header block")
        }
    }
}
