/// One configuration key: where it lives, what it means, and how its text becomes a value.
///
/// `ConfigLoader.keys` is the single table that drives file parsing, environment overrides,
/// validation and the test that keeps `config/continuity.conf` in step with the code.
public struct ConfigKey: Sendable {
    /// The `[section]` name, lower case.
    public let section: String
    /// The key name inside its section, lower case.
    public let key: String
    /// One line for operators: what the key does.
    public let comment: String

    /// Text of the value in `settings`, written as it would be in the config file.
    let render: @Sendable (Settings) -> String
    /// Parses `text`, validates it and stores it in the settings.
    let apply: @Sendable (String, inout Settings) throws(ConfigValue.InvalidValue) -> Void

    /// The built-in default, written as it would be in the config file.
    public var defaultText: String { render(Settings()) }

    /// `CONTINUITY_<SECTION>_<KEY>`, e.g. `CONTINUITY_SERVER_PORT` (SPEC §6).
    public var environmentName: String {
        ConfigLoader.environmentPrefix + section.uppercased() + "_" + key.uppercased()
    }

    /// The current value of this key in `settings`, as file text.
    public func text(in settings: Settings) -> String { render(settings) }
}

extension ConfigKey {
    static func integer(
        _ section: String, _ key: String, _ path: WritableKeyPath<Settings, Int> & Sendable,
        _ range: ClosedRange<Int>, _ comment: String
    ) -> ConfigKey {
        ConfigKey(section: section, key: key, comment: comment,
                  render: { String($0[keyPath: path]) },
                  apply: { text, settings throws(ConfigValue.InvalidValue) in
                      settings[keyPath: path] = try ConfigValue.integer(text, in: range)
                  })
    }

    static func seconds(
        _ section: String, _ key: String, _ path: WritableKeyPath<Settings, Double> & Sendable,
        _ range: ClosedRange<Double>, _ comment: String
    ) -> ConfigKey {
        ConfigKey(section: section, key: key, comment: comment,
                  render: { ConfigValue.render($0[keyPath: path]) },
                  apply: { text, settings throws(ConfigValue.InvalidValue) in
                      settings[keyPath: path] = try ConfigValue.seconds(text, in: range)
                  })
    }

    static func boolean(
        _ section: String, _ key: String, _ path: WritableKeyPath<Settings, Bool> & Sendable,
        _ comment: String
    ) -> ConfigKey {
        ConfigKey(section: section, key: key, comment: comment,
                  render: { $0[keyPath: path] ? "true" : "false" },
                  apply: { text, settings throws(ConfigValue.InvalidValue) in
                      settings[keyPath: path] = try ConfigValue.boolean(text)
                  })
    }

    /// A text value; `parse` validates and normalises it.
    static func text(
        _ section: String, _ key: String, _ path: WritableKeyPath<Settings, String> & Sendable,
        _ comment: String,
        parse: @escaping @Sendable (String) throws(ConfigValue.InvalidValue) -> String = { text throws(ConfigValue.InvalidValue) in try ConfigValue.text(text) }
    ) -> ConfigKey {
        ConfigKey(section: section, key: key, comment: comment,
                  render: { ConfigValue.renderText($0[keyPath: path]) },
                  apply: { text, settings throws(ConfigValue.InvalidValue) in
                      settings[keyPath: path] = try parse(text)
                  })
    }

    static func choice(
        _ section: String, _ key: String, _ path: WritableKeyPath<Settings, String> & Sendable,
        _ allowed: [String], _ comment: String
    ) -> ConfigKey {
        text(section, key, path, comment, parse: { text throws(ConfigValue.InvalidValue) in
            try ConfigValue.choice(text, of: allowed)
        })
    }

    static func timeOfDay(
        _ section: String, _ key: String, _ path: WritableKeyPath<Settings, String> & Sendable,
        _ comment: String
    ) -> ConfigKey {
        text(section, key, path, comment, parse: { text throws(ConfigValue.InvalidValue) in
            try ConfigValue.timeOfDay(text)
        })
    }
}
