import Glibc
import Testing
@testable import Config

@Suite struct ConfigLoading {
    @Test func environmentOverridesFileWhichOverridesDefaults() throws {
        let path = makeTemporaryFile("[server]\nport = 9000\nhost = 0.0.0.0\n[time]\nzone = Europe/London\n")
        defer { unlink(path) }
        let settings = try ConfigLoader.load(path: path, environment: [
            "CONTINUITY_SERVER_PORT": "9100",
            "CONTINUITY_DATABASE_PATH": "/data/c.sqlite",
            "CONTINUITY_FLAGS_LONG_GAP_DAYS": "45",
            "HOME": "/root",
        ])
        #expect(settings.serverPort == 9100)                    // environment beats file
        #expect(settings.serverHost == "0.0.0.0")               // file beats default
        #expect(settings.timeZone == "Europe/London")
        #expect(settings.databasePath == "/data/c.sqlite")      // environment beats default
        #expect(settings.flagsLongGapDays == 45)
        #expect(settings.serverMaxConnections == Settings().serverMaxConnections)
    }

    @Test func specExampleVariablesWork() throws {
        let settings = try ConfigLoader.load(path: shippedConfigPath, environment: [
            "CONTINUITY_SERVER_PORT": "9000",
            "CONTINUITY_DATABASE_PATH": "/data/c.sqlite",
            "CONTINUITY_TIME_ZONE": "UTC",
        ])
        #expect(settings.serverPort == 9000)
        #expect(settings.databasePath == "/data/c.sqlite")
        #expect(settings.timeZone == "UTC")
    }

    @Test func environmentValuesAreTakenLiterally() throws {
        let settings = try ConfigLoader.load(path: shippedConfigPath, environment: ["CONTINUITY_DATABASE_PATH": "/data/a#b.sqlite"])
        #expect(settings.databasePath == "/data/a#b.sqlite")
    }

    @Test func unknownPrefixedEnvironmentVariableIsAnError() {
        let error = configError {
            _ = try ConfigLoader.load(path: shippedConfigPath, environment: ["CONTINUITY_SERVER_PROT": "9000"])
        }
        #expect(error?.message.contains("environment variable CONTINUITY_SERVER_PROT names no configuration key") == true)
    }

    @Test func badEnvironmentValueNamesTheVariable() {
        let error = configError {
            _ = try ConfigLoader.load(path: shippedConfigPath, environment: ["CONTINUITY_SERVER_PORT": "http"])
        }
        #expect(error?.message.hasPrefix("environment variable CONTINUITY_SERVER_PORT: invalid value for 'port' in section [server]") == true)
    }

    @Test func withoutAPathTheDefaultFileOrTheDefaultsApplyAndTheEnvironmentStillWins() throws {
        // `swift test` runs in the package root, where config/continuity.conf holds the defaults;
        // elsewhere the built-in defaults apply. Either way the result is the defaults plus env.
        let settings = try ConfigLoader.load(path: nil, environment: ["CONTINUITY_LOG_FORMAT": "json"])
        var expected = Settings()
        expected.logFormat = "json"
        #expect(settings == expected)
    }

    @Test func explicitConfigPathThatDoesNotExistIsAnError() {
        let path = "/nonexistent/continuity-\(getpid()).conf"
        let error = configError { _ = try ConfigLoader.load(path: path, environment: [:]) }
        #expect(error?.message.hasPrefix("\(path): cannot open config file: No such file or directory") == true,
                "got \(String(describing: error))")
    }

    @Test func errorsInALoadedFileNameThatFile() {
        let path = makeTemporaryFile("[server]\n\n\ntimeout = 5\n")
        defer { unlink(path) }
        let error = configError { _ = try ConfigLoader.load(path: path, environment: [:]) }
        #expect(error?.message == "\(path):4: unknown key 'timeout' in section [server]")
    }

    @Test func invalidUTF8IsAnError() {
        let path = makeTemporaryFile("[server]\n")
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_APPEND)
        let bytes: [UInt8] = Array("host = ".utf8) + [0xFF, 0x0A]
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let error = configError { _ = try ConfigLoader.load(path: path, environment: [:]) }
        #expect(error?.message == "\(path): config file is not valid UTF-8")
    }

    @Test func processEnvironmentSeesVariablesSetInThisProcess() {
        setenv("CONTINUITY_CONFIG_TEST_PROBE", "a=b", 1)
        defer { unsetenv("CONTINUITY_CONFIG_TEST_PROBE") }
        let environment = ConfigLoader.processEnvironment()
        #expect(environment["CONTINUITY_CONFIG_TEST_PROBE"] == "a=b")
    }
}
