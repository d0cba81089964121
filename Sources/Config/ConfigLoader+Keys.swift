// The key table: the one place that lists every setting (SPEC §6). Adding a key here makes
// it parse from the file and the environment; the ConfigTests then demand it in
// config/continuity.conf with its default and a comment.

extension ConfigLoader {
    static let days = 1...3650
    static let bytes = 1...(1 << 30)

    /// Every key, grouped by section in the order of the shipped config file.
    static let table: [ConfigKey] = [
        // [server]
        .text("server", "host", \.serverHost, "Address to listen on; 0.0.0.0 listens on every interface."),
        .integer("server", "port", \.serverPort, 0...65535, "TCP port to listen on; 0 picks a free port."),
        .integer("server", "max_connections", \.serverMaxConnections, 1...1_000_000, "Open connections at most; further clients get 503 Service Unavailable."),
        .integer("server", "worker_threads", \.serverWorkerThreads, 1...1024, "Threads that run request handlers and database work."),
        .integer("server", "max_header_bytes", \.serverMaxHeaderBytes, 256...(1 << 24), "Request line plus headers at most, in bytes; larger gets 431."),
        .integer("server", "max_target_bytes", \.serverMaxTargetBytes, 16...(1 << 24), "Request target (path and query) at most, in bytes; longer targets are refused."),
        .integer("server", "max_body_bytes", \.serverMaxBodyBytes, bytes, "Request body at most, in bytes; larger gets 413."),
        .seconds("server", "header_timeout_seconds", \.serverHeaderTimeoutSeconds, 0.001...86400, "Seconds a client may take to send its request headers; slower gets 408."),
        .seconds("server", "body_timeout_seconds", \.serverBodyTimeoutSeconds, 0.001...86400, "Seconds a client may take to send its request body; slower gets 408."),
        .seconds("server", "idle_timeout_seconds", \.serverIdleTimeoutSeconds, 0.001...86400, "Seconds an idle keep-alive connection stays open."),
        .boolean("server", "secure_cookies", \.serverSecureCookies, "Mark the web pages' session cookie Secure, so browsers send it over HTTPS only (true or false)."),
        .origins("server", "cors_origins", \.serverCorsOrigins, "Origins whose browser apps may call the API (CORS), comma-separated, e.g. https://app.example.nl; none allows no other origin."),

        // [database]
        .text("database", "path", \.databasePath, "SQLite database file; created with its directory if missing."),
        .text("database", "migrations", \.databaseMigrations, "Migrations: embedded (the ones built into the binary) or a directory of NNNN_name.sql files, for development."),
        .choice("database", "synchronous", \.databaseSynchronous, ["off", "normal", "full", "extra"], "SQLite PRAGMA synchronous: off, normal, full or extra; full keeps every acknowledged write."),
        .integer("database", "busy_timeout_ms", \.databaseBusyTimeoutMs, 0...Int(Int32.max), "Milliseconds to wait for a lock held by another connection."),
        .boolean("database", "group_commit", \.databaseGroupCommit, "Commit concurrent writes together in one transaction (true or false)."),
        .integer("database", "max_batch", \.databaseMaxBatch, 1...100_000, "Writes in one group commit at most (never more than [server] worker_threads: each write waits on its thread)."),

        // [time]
        .text("time", "zone", \.timeZone, "IANA time zone of the team; local dates and the daily run use it.",
              parse: { text throws(ConfigValue.InvalidValue) in try ConfigValue.zoneName(text) }),
        .text("time", "office_days", \.timeOfficeDays, "Office days, comma-separated from mon, tue, wed, thu, fri, sat, sun.",
              parse: { text throws(ConfigValue.InvalidValue) in try ConfigValue.weekdays(text) }),
        .timeOfDay("time", "office_start", \.timeOfficeStart, "Start of office hours, HH:MM local time."),
        .timeOfDay("time", "office_end", \.timeOfficeEnd, "End of office hours, HH:MM local time; after office_start."),

        // [measures]
        .integer("measures", "window_days", \.measuresWindowDays, days, "Default window in days for continuity measures when a request names none."),

        // [flags] SPEC §3
        .integer("flags", "changing_faces_window_days", \.flagsChangingFacesWindowDays, days, "changing_faces: days of contacts counted."),
        .integer("flags", "changing_faces_max", \.flagsChangingFacesMax, 0...10_000, "changing_faces: raised when more different professionals than this were seen."),
        .integer("flags", "primary_turnover_window_days", \.flagsPrimaryTurnoverWindowDays, days, "primary_turnover: days of primary assignments counted."),
        .integer("flags", "primary_turnover_min_changes", \.flagsPrimaryTurnoverMinChanges, 1...10_000, "primary_turnover: raised at this many primary changes or more."),
        .integer("flags", "no_primary_grace_days", \.flagsNoPrimaryGraceDays, 0...3650, "no_primary: raised when a client has had no primary for more than this many days."),
        .integer("flags", "primary_leaving_days", \.flagsPrimaryLeavingDays, 0...3650, "primary_leaving: raised when the primary leaves within this many days."),
        .integer("flags", "referral_chain_window_days", \.flagsReferralChainWindowDays, days, "referral_chain: days of referrals counted."),
        .integer("flags", "referral_chain_max", \.flagsReferralChainMax, 0...10_000, "referral_chain: raised when there were more referrals than this."),
        .integer("flags", "referral_limbo_days", \.flagsReferralLimboDays, 0...3650, "referral_limbo: raised when an open referral has had no held contact for more than this many days."),
        .integer("flags", "long_gap_days", \.flagsLongGapDays, 0...3650, "long_gap: raised when the last held contact is more than this many days ago."),
        .integer("flags", "no_face_to_face_days", \.flagsNoFaceToFaceDays, 0...3650, "no_face_to_face: raised when the last face-to-face contact is more than this many days ago."),
        .integer("flags", "warm_handover_days", \.flagsWarmHandoverDays, days, "Warm handover share: days before a primary change in which both primaries must meet the client."),

        // [alerts]
        .timeOfDay("alerts", "daily_run", \.alertsDailyRun, "Local time (HH:MM) of the daily re-evaluation of every open client while serving."),
        .boolean("alerts", "daily_run_enabled", \.alertsDailyRunEnabled, "Run the daily re-evaluation while serving (true or false)."),

        // [auth]
        .integer("auth", "rate_limit_per_minute", \.authRateLimitPerMinute, 1...1_000_000, "Requests per minute allowed for one token, on average."),
        .integer("auth", "rate_limit_burst", \.authRateLimitBurst, 1...1_000_000, "Requests one token may send at once above the average rate."),
        .integer("auth", "failed_per_minute", \.authFailedPerMinute, 1...1_000_000, "Failed authentications allowed from one remote address per minute (also the burst); more are answered 429."),

        // [reports]
        .integer("reports", "small_cell_threshold", \.reportsSmallCellThreshold, 0...10_000, "Report counts below this are suppressed so people cannot be singled out; 0 shows all."),
        .choice("reports", "language", \.reportsLanguage, ["nl", "en"], "Language of evidence, reports and the web pages: nl (Dutch) or en (English)."),

        // [web]
        .integer("web", "session_hours", \.webSessionHours, 1...720, "Hours a sign-in to the web pages lasts; signing out or revoking the token ends it sooner."),

        // [log]
        .choice("log", "level", \.logLevel, ["trace", "debug", "info", "notice", "warning", "error", "critical"], "Least severe level logged: trace, debug, info, notice, warning, error or critical."),
        .choice("log", "format", \.logFormat, ["plain", "json"], "Log line format on stderr: plain text or json (one JSON object per line)."),

        // [metrics] SPEC §10
        .text("metrics", "host", \.metricsHost, "Address of the listener of its own for /metrics (when port is not 0); keep it internal."),
        .integer("metrics", "port", \.metricsPort, 0...65535, "0 serves /metrics on the API's listener; another port serves it there alone, and the API's listener answers 404."),

        // [litestream] README "Erasure and replication"
        .boolean("litestream", "control", \.litestreamControl, "Ask Litestream, through its control socket, to pause replication briefly so an erasure's WAL scrub can run (true or false)."),
        .text("litestream", "socket", \.litestreamSocket, "Litestream's control socket (litestream.yml socket: path)."),
    ]

    /// Section names in file order.
    static let sections: [String] = table.reduce(into: []) { names, key in
        if !names.contains(key.section) { names.append(key.section) }
    }
}
