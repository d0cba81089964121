import Continuity

/// Every sentence of the pages is written in both languages side by side where it is used:
/// `l("…", "…")` with `l` the page's `Language` (SPEC §3, §9: Dutch unless `[reports]
/// language = en`).
extension Language {
    func callAsFunction(_ nl: String, _ en: String) -> String { self == .nl ? nl : en }
}
