// `[server] cors_origins` (SPEC §4): the origins whose browser apps may call the API.

extension ConfigKey {
    /// A comma-separated list of origins, or `none` (the default: no other origin may call).
    static func origins(_ section: String, _ key: String, _ path: WritableKeyPath<Settings, String> & Sendable,
                        _ comment: String) -> ConfigKey {
        ConfigKey(section: section, key: key, comment: comment,
                  render: { $0[keyPath: path].isEmpty ? "none" : $0[keyPath: path] },
                  apply: { text, settings throws(ConfigValue.InvalidValue) in
                      settings[keyPath: path] = try ConfigValue.origins(text)
                  })
    }
}

extension ConfigValue {
    /// `none` (or nothing) for no origin; else origins as browsers send them in `Origin`
    /// (RFC 6454 §6.1): `http` or `https`, a host, an optional port, no path. Normalised to
    /// lower case, comma-separated without spaces.
    static func origins(_ text: String) throws(InvalidValue) -> String {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { trimmed($0) }
        if items == ["none"] || items == [""] { return "" }
        var out: [String] = []
        for origin in items.map({ $0.lowercased() }) {
            guard isOrigin(origin) else {
                throw InvalidValue(reason: "expected none or comma-separated origins like https://app.example.nl (scheme, host, optional port; no path), got \(quoted(origin))")
            }
            if !out.contains(origin) { out.append(origin) }
        }
        return out.joined(separator: ",")
    }

    static func isOrigin(_ s: String) -> Bool {
        let rest: Substring
        if s.hasPrefix("https://") { rest = s.dropFirst(8) } else if s.hasPrefix("http://") { rest = s.dropFirst(7) } else { return false }
        let parts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let host = parts.first, !host.isEmpty,
              host.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 46 }) else { return false }
        if parts.count == 2 {
            guard let port = Int(parts[1]), (1...65535).contains(port), parts[1].first != "0" else { return false }
        }
        return true
    }
}
