import Testing
@testable import Config

@Suite struct ShippedConfigFile {
    @Test func parsesToExactlyTheBuiltInDefaults() throws {
        let settings = try ConfigLoader.load(path: shippedConfigPath, environment: [:])
        #expect(settings == Settings())
    }

    @Test func setsEveryKeyOfTheTableExactlyOnceInTableOrder() throws {
        var settings = Settings()
        let text = try ConfigLoader.readFile(shippedConfigPath)
        let assigned = try ConfigLoader.parseAssignments(text: text, file: shippedConfigPath, into: &settings)
        let expected = ConfigLoader.keys.map { "\($0.section).\($0.key)" }
        #expect(assigned == expected)
    }

    @Test func writesEachDefaultAsTheTableRendersIt() throws {
        let lines = Set(try ConfigLoader.readFile(shippedConfigPath).split(separator: "\n").map(String.init))
        let missing = ConfigLoader.keys
            .filter { !lines.contains("\($0.key) = \($0.defaultText)") }
            .map { "[\($0.section)] \($0.key) = \($0.defaultText)" }
        #expect(missing == [])
    }

    @Test func hasACommentLineDirectlyAboveEveryKey() throws {
        let lines = try ConfigLoader.readFile(shippedConfigPath)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let uncommented = ConfigLoader.keys.filter { key in
            guard let index = lines.firstIndex(of: "\(key.key) = \(key.defaultText)") else { return true }
            return index == 0 || !lines[index - 1].hasPrefix("# ")
        }.map { "[\($0.section)] \($0.key)" }
        #expect(uncommented == [])
    }
}

@Suite struct KeyTable {
    @Test func namesAreUniqueLowerCaseAndCommented() {
        var seen: Set<String> = []
        for key in ConfigLoader.keys {
            #expect(ConfigLoader.isName(key.section) && ConfigLoader.isName(key.key))
            #expect(!key.section.contains("_"), "section names must not contain _ so env names split uniquely")
            #expect(seen.insert("\(key.section).\(key.key)").inserted, "duplicate \(key.section).\(key.key)")
            #expect(!key.comment.isEmpty)
        }
        // SPEC §6 fixes these names, so operators and scripts can rely on them.
        for fixed in ["server.host", "server.port", "database.path", "time.zone"] {
            #expect(seen.contains(fixed), "\(fixed) is missing")
        }
    }

    @Test func everyDefaultParsesBackToItself() throws {
        for key in ConfigLoader.keys {
            var settings = Settings()
            try key.apply(key.defaultText, &settings)
            #expect(settings == Settings(), "\(key.section).\(key.key)")
        }
    }

    @Test(arguments: [
        ("server", "port", "CONTINUITY_SERVER_PORT"),
        ("server", "host", "CONTINUITY_SERVER_HOST"),
        ("database", "path", "CONTINUITY_DATABASE_PATH"),
        ("time", "zone", "CONTINUITY_TIME_ZONE"),
        ("flags", "long_gap_days", "CONTINUITY_FLAGS_LONG_GAP_DAYS"),
    ])
    func environmentNamesFollowTheSpec(section: String, key: String, name: String) throws {
        let entry = try #require(ConfigLoader.keys.first { $0.section == section && $0.key == key })
        #expect(entry.environmentName == name)
    }
}
