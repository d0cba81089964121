import Testing
@testable import Config

@Suite struct ConfigParsing {
    @Test func readsSectionsKeysCommentsAndBlankLines() throws {
        let settings = try makeSettings("""
            # a comment
            ; another comment

            [server]
            host = 0.0.0.0
              port=9000\t
            [database]
            path = /var/lib/continuity/c.sqlite   # trailing comment
            group_commit = false ; also a comment
            [server]
            max_body_bytes = 2048
            """)
        var expected = Settings()
        expected.serverHost = "0.0.0.0"
        expected.serverPort = 9000
        expected.databasePath = "/var/lib/continuity/c.sqlite"
        expected.databaseGroupCommit = false
        expected.serverMaxBodyBytes = 2048
        #expect(settings == expected)
    }

    @Test func acceptsWindowsLineEndings() throws {
        let settings = try makeSettings("[server]\r\nport = 81\r\n")
        #expect(settings.serverPort == 81)
    }

    @Test(arguments: [
        (#"path = "/data/a#b;c.sqlite""#, "/data/a#b;c.sqlite"),
        (#"path = "/data/with space "   # comment"#, "/data/with space "),
        (#"path = "say \"hi\" \\ bye""#, #"say "hi" \ bye"#),
        ("path = /data/plain#cut", "/data/plain"),
    ])
    func quotedValuesKeepCommentCharacters(line: String, expected: String) throws {
        let settings = try makeSettings("[database]\n\(line)\n")
        #expect(settings.databasePath == expected)
    }

    @Test func laterLayersWinOverEarlierOnes() throws {
        var settings = Settings()
        try ConfigLoader.parse(text: "[server]\nport = 1000\nhost = ::1\n", file: "a.conf", into: &settings)
        try ConfigLoader.parse(text: "[server]\nport = 2000\n", file: "b.conf", into: &settings)
        #expect(settings.serverPort == 2000)
        #expect(settings.serverHost == "::1")
    }

    @Test func normalisesOfficeDaysAndDerivesWeekdaysAndMinutes() throws {
        let settings = try makeSettings("[time]\noffice_days = mon, wed ,sat\noffice_start = 07:05\noffice_end = 23:59\n")
        #expect(settings.timeOfficeDays == "mon,wed,sat")
        #expect(settings.officeWeekdays == [1, 3, 6])
        #expect(settings.officeStartMinutes == 7 * 60 + 5)
        #expect(settings.officeEndMinutes == 23 * 60 + 59)
    }

    @Test func acceptsFractionalSeconds() throws {
        let settings = try makeSettings("[server]\nheader_timeout_seconds = 2.5\n")
        #expect(settings.serverHeaderTimeoutSeconds == 2.5)
    }
}

@Suite struct ConfigParseErrors {
    /// (file text, fragment the error message must contain)
    @Test(arguments: [
        ("[server]\nport = 80\nprot = 81\n", "test.conf:3: unknown key 'prot' in section [server]"),
        ("\n[sever]\nport = 80\n", "test.conf:2: unknown section [sever]"),
        ("port = 80\n", "test.conf:1: key 'port' appears before any [section] header"),
        ("[server]\nport 80\n", "test.conf:2: expected 'key = value'"),
        ("[server\n", "test.conf:1: a section header must look like [name]"),
        ("[Server]\n", "test.conf:1: section name 'Server' must be lower case"),
        ("[server]\nPort = 1\n", "test.conf:2: key name 'Port' must be lower case"),
        ("[server]\nport = 1\n\nport = 2\n", "test.conf:4: key 'port' in section [server] is already set on line 2"),
        ("[database]\npath = \"unterminated\n", "test.conf:2: invalid value for 'path' in section [database]: the quoted value has no closing quote"),
        ("[database]\npath = \"a\" b\n", "test.conf:2: invalid value for 'path' in section [database]: unexpected text after the closing quote"),
        ("[database]\npath = \"a\\nb\"\n", "only \\\" and \\\\ may follow a backslash"),
    ])
    func syntaxErrorsNameFileAndLine(text: String, fragment: String) {
        let error = configError { _ = try makeSettings(text) }
        #expect(error?.message.contains(fragment) == true, "got \(String(describing: error))")
    }

    /// (section, key, bad value)
    @Test(arguments: [
        ("server", "port", "65536"),
        ("server", "port", "-1"),
        ("server", "port", "80x"),
        ("server", "port", ""),
        ("server", "max_connections", "0"),
        ("server", "worker_threads", "0"),
        ("server", "max_body_bytes", "0"),
        ("server", "header_timeout_seconds", "0"),
        ("server", "idle_timeout_seconds", "nan"),
        ("server", "body_timeout_seconds", "-5"),
        ("server", "host", ""),
        ("database", "synchronous", "FULL"),
        ("database", "synchronous", "sometimes"),
        ("database", "group_commit", "yes"),
        ("database", "busy_timeout_ms", "-1"),
        ("database", "max_batch", "0"),
        ("time", "zone", "Europe Amsterdam"),
        ("time", "zone", "../etc/passwd"),
        ("time", "office_days", "mon,funday"),
        ("time", "office_days", "mon,mon"),
        ("time", "office_days", ""),
        ("time", "office_start", "8:30"),
        ("time", "office_end", "24:00"),
        ("alerts", "daily_run", "00:60"),
        ("alerts", "daily_run_enabled", "1"),
        ("flags", "long_gap_days", "0.5"),
        ("flags", "changing_faces_window_days", "0"),
        ("auth", "rate_limit_per_minute", "0"),
        ("log", "level", "verbose"),
        ("log", "format", "xml"),
    ])
    func badValuesAreRejectedNamingKeyAndLine(section: String, key: String, value: String) {
        let error = configError { _ = try makeSettings("[\(section)]\n\(key) = \(value)\n") }
        let prefix = "test.conf:2: invalid value for '\(key)' in section [\(section)]: "
        #expect(error?.message.hasPrefix(prefix) == true, "got \(String(describing: error))")
    }

    @Test func officeStartMustBeBeforeOfficeEnd() {
        let path = makeTemporaryFile("[time]\noffice_start = 17:00\noffice_end = 08:30\n")
        let error = configError { _ = try ConfigLoader.load(path: path, environment: [:]) }
        #expect(error?.message.contains("office_start (17:00) must be before office_end (08:30)") == true)
    }

    @Test func targetLimitCannotExceedHeaderLimit() {
        let error = configError {
            _ = try ConfigLoader.load(path: shippedConfigPath, environment: ["CONTINUITY_SERVER_MAX_TARGET_BYTES": "20000"])
        }
        #expect(error?.message.contains("max_target_bytes (20000) cannot exceed max_header_bytes (16384)") == true)
    }
}
